"""Private file storage: personal data (observers' photos) and job results (badge PDFs).

Files here have no public URL; they are served only through views that check who asks. The
folder is settings.PRIVATE_MEDIA_ROOT, read when first used (tests point it elsewhere).
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    def __init__(self):
        super().__init__(base_url=None, file_permissions_mode=0o600)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    @cached_property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    def url(self, name):
        raise ValueError("private files have no URL; serve them through a view that checks access")


_private_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage of private files (a callable: migrations name it, not its folder)."""
    return _private_storage
