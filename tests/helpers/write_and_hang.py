"""Child process for the kill tests: commit or roll back through the service, announce a point, wait to be killed.

argv: database url, archive dir, mode, file or batch id. Modes:
  commit-before  - hang inside the commit's transaction, after the rows and the audit row are written
  commit-after   - hang after the commit returned
  rollback-before / rollback-after - the same for a rollback of the batch id
"""

import sys
import time
from pathlib import Path

from indicators import service, store


def hang() -> None:
    print("hanging", flush=True)
    time.sleep(120)  # the parent SIGKILLs us here


url, archive_dir, mode, what = sys.argv[1:5]
engine = store.make_engine(url)
actor = service.operator()
point = hang if mode.endswith("-before") else None
if mode.startswith("commit"):
    data = Path(what).read_bytes()
    report = service.validate(engine, actor, data, Path(what).name)
    assert report.ok, report.errors[:3]
    service.commit(engine, actor, report, data, archive_dir=Path(archive_dir), before_commit=point)
else:
    service.rollback(engine, actor, int(what), before_commit=point)
hang()
