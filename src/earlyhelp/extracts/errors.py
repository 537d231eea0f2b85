"""The errors an extract reports to the person running it, rather than crashing."""

from earlyhelp.extracts.files import MappingError, UnreadableValues
from earlyhelp.extracts.keys import MissingPseudonymKey
from earlyhelp.extracts.output import OutputError
from earlyhelp.extracts.projects import ExtractRefused
from earlyhelp.extracts.return_files import ReturnFileError

EXPECTED = (
    ExtractRefused,
    MappingError,
    UnreadableValues,
    MissingPseudonymKey,
    OutputError,
    ReturnFileError,
)
