"""A throwaway Dovecot IMAP server on a loopback port, for the mail tests and `bench mail`.

It runs Debian's `dovecot` binary with a configuration of its own in a temporary
directory (one passwd-file account, maildir storage, plain login on loopback only),
never the system's service. `deliver` writes messages straight into the account's
maildir (fast, for the benchmark's thousands); tests append theirs over IMAP.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

#: Where Debian installs it; PATH is searched too.
DOVECOT_PATHS = ("/usr/sbin/dovecot",)


def find_dovecot() -> str | None:
    """The dovecot binary, or None when it is not installed."""
    found = shutil.which("dovecot")
    if found:
        return found
    return next((path for path in DOVECOT_PATHS if os.access(path, os.X_OK)), None)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Dovecot:
    """One Dovecot with one account (`user`/`password`), started by `start`, ended by `stop`."""

    def __init__(self, *, user: str = "desk@example.test",
                 password: str = "secret-imap") -> None:
        # Its own directory, readable by Dovecot's unprivileged processes (a test's
        # temporary directory is private to its user).
        self.root = Path(tempfile.mkdtemp(prefix="deskterm-dovecot-"))
        self.root.chmod(0o755)
        self.user = user
        self.password = password
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.mail = self.root / "mail"

    @property
    def url(self) -> str:
        """The mailbox's URL as `deskterm server mailbox add --imap` takes it."""
        return f"imap://{self.user.replace('@', '%40')}@127.0.0.1:{self.port}"

    @property
    def maildir(self) -> Path:
        return self.mail / self.user

    def start(self) -> Dovecot:
        binary = find_dovecot()
        if binary is None:
            raise RuntimeError("dovecot is not installed (apt-get install dovecot-imapd)")
        for folder in ("run", "state", "mail"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        as_root = os.geteuid() == 0
        # Dovecot refuses mail access as root: as root, the mail belongs to nobody.
        uid, gid = (65534, 65534) if as_root else (os.getuid(), os.getgid())
        me = "dovenull" if as_root else _user_name()
        internal = "dovecot" if as_root else me
        for path in (self.mail, self.maildir):
            path.mkdir(parents=True, exist_ok=True)
            if as_root:
                os.chown(path, uid, gid)
        (self.root / "passwd").write_text(f"{self.user}:{{PLAIN}}{self.password}::::::\n")
        (self.root / "dovecot.conf").write_text(f"""\
base_dir = {self.root}/run
state_dir = {self.root}/state
log_path = {self.root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {me}
default_internal_user = {internal}
mail_location = maildir:{self.mail}/%u
first_valid_uid = {uid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={self.mail}/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
protocol imap {{
  mail_max_userip_connections = 100
}}
""")
        self.process = subprocess.Popen([binary, "-F", "-c", str(self.root / "dovecot.conf")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("dovecot did not start: "
                                   + (self.process.stderr.read().decode(errors="replace")
                                      if self.process.stderr else "") + self._log())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as probe:
                    if probe.recv(100).startswith(b"* OK"):
                        return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"dovecot did not answer on port {self.port}: {self._log()}")

    def _log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def deliver(self, messages: list[bytes]) -> None:
        """Put messages straight into the inbox's maildir (`new/`), as a delivery agent would."""
        new = self.maildir / "new"
        for folder in ("new", "cur", "tmp"):
            (self.maildir / folder).mkdir(parents=True, exist_ok=True)
        host = socket.gethostname()
        for index, raw in enumerate(messages):
            name = f"{int(time.time())}.M{index}P{os.getpid()}Q{uuid.uuid4().hex[:8]}.{host}"
            (new / name).write_bytes(raw)
        if os.geteuid() == 0:
            for path in [self.maildir, *self.maildir.rglob("*")]:
                os.chown(path, 65534, 65534)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
            self.process = None
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Dovecot:
        return self.start()

    def __exit__(self, *args: object) -> None:
        self.stop()


def _user_name() -> str:
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name
