"""Accounts in the UI: the optional login in the sidebar (password or single sign-on), the signed-in user, and what
they may write (writing needs a scoped statistician or an admin)."""

from __future__ import annotations

import streamlit as st

from ui.language import lang, tr
from ui.resources import engine


def current_user():
    """The signed-in user as the database has it now (indicators.accounts.User), or None.

    An idle-expired session, or an account disabled meanwhile, signs the user out at once.
    """
    from indicators import accounts

    session = st.session_state.get("session")
    if session is None:
        return None
    user = accounts.session_user(engine(), session)
    if user is None:
        st.session_state.pop("session", None)
        st.session_state["session_expired"] = True
        return None
    accounts.touch(session)
    return user


def login_box() -> None:
    """A small login form in the sidebar (or the signed-in user with a sign-out button)."""
    from indicators import accounts
    from indicators.store import audit as audit_trail

    user = current_user()
    if user is not None:
        st.caption(tr("ui_signed_in", name=user.name, role=user.role))
        if st.button(tr("ui_sign_out"), key="logout"):
            audit_trail.audit(engine(), user.name, "logout", user.name)
            st.session_state.pop("session", None)
            st.rerun()
        return
    if st.session_state.pop("session_expired", False):
        st.warning(tr("ui_session_expired"))
    if _sso_configured():
        _sso_login()
        return
    with st.expander(tr("ui_sign_in"), expanded=False):
        with st.form("login", clear_on_submit=True):
            name = st.text_input(tr("ui_user_name"), key="login_name")
            password = st.text_input(tr("ui_password"), type="password", key="login_password")
            if st.form_submit_button(tr("ui_sign_in")):
                result = accounts.authenticate(engine(), name, password)
                if result.ok:
                    st.session_state["session"] = accounts.new_session(result.user)
                    st.rerun()
                else:
                    st.error(accounts.login_message(result, lang()))


def _sso_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section (an OIDC provider for st.login)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _sso_login() -> None:
    """Single sign-on: st.login, then the account with the same e-mail (audited by accounts.authenticate_sso)."""
    from indicators import accounts

    if not getattr(st.user, "is_logged_in", False):
        st.button(tr("ui_sso_sign_in"), on_click=st.login, key="sso_login")
        return
    result = accounts.authenticate_sso(engine(), st.user.email)
    if result.ok:
        st.session_state["session"] = accounts.new_session(result.user)
        st.rerun()
    st.error(accounts.login_message(result, lang()))
    st.button(tr("ui_sso_sign_out"), on_click=st.logout, key="sso_logout")


def write_scope() -> set[str] | None:
    """Jurisdictions the signed-in user may write (None = every one, for admins; empty = none)."""
    from indicators import accounts

    user = current_user()
    return set() if user is None else accounts.write_scope(engine(), user)


def login_required() -> bool:
    """True when the deployment's settings make every page ask for a login."""
    from indicators import config

    return config.load_settings().login_required
