"""An upload from file to batch:

read (bytes -> cells), cells (one cell's parsing), validate (every rule, row by row) and plain (the same rules
column-wise for plain CSV), warnings, commit (one batch, all or nothing), template.
"""

from indicators.upload.cells import (
    BASIS,
    COLUMN_ZH,
    COLUMNS,
    REQUIRED,
    Issue,
    ParsedRow,
    clean_cell,
    conversion_factor,
    convert_by,
    is_dimensionless,
    is_plain_number,
    map_header,
    parse_period,
    parse_value,
    period_bounds,
    previous_month,
)
from indicators.upload.commit import (
    Change,
    CommitResult,
    archive,
    archive_dir,
    commit_upload,
)
from indicators.upload.issues import (
    CODES,
    column_header,
    column_letter,
    file_issue,
    locate,
)
from indicators.upload.read import (
    MAX_BYTES,
    UploadError,
    check_readable,
    decode,
    drop_blank_rows,
    is_xlsx,
)
from indicators.upload.template import (
    template_csv,
    template_rows,
)
from indicators.upload.validate import (
    ValidationReport,
    paused_gc,
    validate_upload,
)

__all__ = [
    'MAX_BYTES', 'UploadError', 'decode', 'check_readable', 'is_xlsx', 'drop_blank_rows', 'COLUMNS',
    'REQUIRED', 'COLUMN_ZH', 'BASIS', 'Issue', 'ParsedRow', 'clean_cell', 'map_header', 'parse_period',
    'period_bounds', 'previous_month', 'is_plain_number', 'parse_value', 'conversion_factor', 'convert_by',
    'is_dimensionless', 'ValidationReport', 'paused_gc', 'validate_upload', 'archive_dir',
    'Change', 'CommitResult', 'archive', 'commit_upload', 'template_rows', 'template_csv',
    'CODES', 'column_header', 'column_letter', 'file_issue', 'locate',
]
