"""System checks for the view-counting settings: a wrong value is reported by name when
the server starts (`byline serve` runs the checks), not met later as a silent miscount."""

import ipaddress
import os
from pathlib import Path

from django.conf import settings
from django.core import checks

from byline.pageviews.policy import MODES


@checks.register()
def counting_settings(app_configs, **kwargs) -> list[checks.CheckMessage]:
    errors = []
    if settings.BYLINE_VIEW_COUNTING not in MODES:
        errors.append(
            checks.Error(
                f"BYLINE_VIEW_COUNTING is {settings.BYLINE_VIEW_COUNTING!r}.",
                hint="Set it to 'server' (count in the request) or 'beacon' (count by the "
                "page's beacon, for pages cached by a CDN).",
                id="pageviews.E001",
            )
        )
    for entry in settings.BYLINE_VIEWS_EXCLUDED_IPS:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            errors.append(
                checks.Error(
                    f"BYLINE_VIEWS_EXCLUDED_IPS has {entry!r}, which is not an IP address "
                    "or network.",
                    hint="Use addresses and CIDR ranges, comma-separated: "
                    "203.0.113.7,198.51.100.0/24,2001:db8::/32",
                    id="pageviews.E002",
                )
            )
    if settings.BYLINE_VIEWS_INTERVAL < 0:
        errors.append(
            checks.Error(
                "BYLINE_VIEWS_INTERVAL is negative.",
                hint="0 counts every view; N counts one view per visitor and article per N s.",
                id="pageviews.E003",
            )
        )
    return errors


# File systems whose files one machine's processes cannot share through mmap and flock
# as they can on a local disk (each client may keep its own copy of the pages).
NETWORK_FILE_SYSTEMS = {
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "fuse.sshfs", "glusterfs", "ceph",
    "afs", "lustre", "ocfs2", "gfs2",
}  # fmt: skip


def file_system_type(path: Path, mounts: str) -> str | None:
    """The type of the file system `path` is on, from a mount table in the format of
    /proc/self/mounts (the longest mount point that holds it); None when none does."""
    path = str(path)
    found, found_type = "", None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(found):
            found, found_type = point, fields[2]
    return found_type


@checks.register()
def shared_table_on_local_disk(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """The server processes count views in a file they all map (pageviews.shared): on a
    network file system, processes could each see their own copy of it."""
    try:
        mounts = Path("/proc/self/mounts").read_text()
    except OSError:
        return []  # not Linux: nothing to tell
    return network_folder_warnings(mounts)


def network_folder_warnings(mounts: str) -> list[checks.CheckMessage]:
    """A warning for each folder of the shared table (the data folder, the SQLite
    database's) that the mount table `mounts` puts on a network file system."""
    folders = {Path(os.path.realpath(settings.DATA_DIR))}
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and os.path.isfile(database["NAME"]):
        folders.add(Path(os.path.realpath(database["NAME"])).parent)
    warnings = []
    for folder in sorted(folders):
        kind = file_system_type(folder, mounts)
        if kind in NETWORK_FILE_SYSTEMS:
            warnings.append(
                checks.Warning(
                    f"{folder} is on a network file system ({kind}); the server processes "
                    "count views in a file there that they map in memory together.",
                    hint="Put the data folder (BYLINE_DATA_DIR) and the SQLite database on "
                    "the machine's own disk; each app server needs its own data folder.",
                    id="pageviews.W001",
                )
            )
    return warnings
