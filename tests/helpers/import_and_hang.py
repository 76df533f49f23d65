"""Child process for the SIGKILL test: import a file, announce when every row is written, then wait to be killed."""

import sys
import time
from pathlib import Path

from indicators import store, upload

url, file_name, archive_dir = sys.argv[1], sys.argv[2], sys.argv[3]
engine = store.make_engine(url)
data = Path(file_name).read_bytes()
report = upload.validate_upload(engine, data, Path(file_name).name)
assert report.ok, report.errors[:3]


def hang() -> None:
    print("rows written, transaction open", flush=True)
    time.sleep(120)  # the parent SIGKILLs us here, before COMMIT


upload.commit_upload(engine, report, data, "killed", archive_dir=Path(archive_dir), before_commit=hang)
