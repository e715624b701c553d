"""`casefile setup` and `casefile clone`: what a clone needs to work with the team.

* the record merge driver, in this clone's git config (git does not copy
  config with a clone, and it names this machine's Python);
* `*.md merge=casefile` in effect: committed in `.gitattributes` by `init`; a
  desk created before that gets it in `.git/info/attributes` (this clone only)
  until someone re-runs `casefile init` and commits the line for everyone;
* the hooks from `hooks/` (git does not clone hooks either);
* this clone's station, if it claimed one while offline, registered on the
  remote.  A clone that has not opened a case yet has no station, and setup
  does not claim one: a CI job that clones the desk every five minutes to run
  `casefile check` would otherwise use up station codes.  The first
  `casefile open` claims it (and registers it when the remote answers).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from casefile.errors import CasefileError, NotFound
from casefile.git.process import Identity
from casefile.git.remote import Unreachable, clone, fetch
from casefile.git.repo import GitRepo
from casefile.policy.model import POLICY_FILE
from casefile.repo.init import configure_merge_driver, install_hook
from casefile.session import Session
from casefile.team.stations import Registration, StationStatus, check_station, register, station_refspec
from casefile.i18n import _
from casefile.values import Struct


class SetupResult(Struct, frozen=True):
    root: Path
    merge_driver: str
    hook: str
    station: str

    def lines(self) -> list[str]:
        return [f"set up {self.root} for working with the team", f"  {self.merge_driver}", f"  {self.hook}",
                f"  {self.station}"]

    def as_json(self) -> dict[str, str]:
        return {"root": str(self.root), "merge_driver": self.merge_driver, "hook": self.hook, "station": self.station}


def setup_clone(session: Session, author: Identity | None = None) -> SetupResult:
    repo = session.repo
    driver = configure_merge_driver(repo)
    hook = install_hook(repo)
    return SetupResult(repo.worktree, driver, hook, _settle_station(session, author or who_acts(session)[0]))


def _settle_station(session: Session, author: Identity) -> str:
    repo = session.repo
    remote = repo.default_remote()
    if remote is None:
        check = check_station(session, "", None)
        return _station_words(check.station, "no remote yet")
    try:
        fetch(repo, remote, [station_refspec(remote), f"+refs/heads/*:refs/remotes/{remote}/*"])
    except Unreachable as error:
        return f"station not checked: {error.reason} (casefile sync registers it later)"
    branch = (repo.head_ref() or "refs/heads/main").removeprefix("refs/heads/")
    check = check_station(session, remote, repo.resolve(f"refs/remotes/{remote}/{branch}"))
    if check.status is StationStatus.UNREGISTERED:
        done = register(session, remote, author)
        if done is Registration.REGISTERED:
            return f"station {check.station} registered on {remote}"
        if done is Registration.UNREACHABLE:
            return f"station {check.station} not registered: {remote} stopped answering (casefile sync registers it)"
        if done is Registration.REFUSED:
            return f"station {check.station}: {remote} does not take station registrations; its record stands"
        return f"station {check.station} was registered by another clone meanwhile: run `casefile sync` to renumber"
    if check.status is StationStatus.TAKEN:
        return f"station {check.station}: {check.why}; run `casefile sync` to renumber this clone's cases"
    return _station_words(check.station, f"registered on {remote}")


def _station_words(station: str | None, where: str) -> str:
    if station is None:
        return "no station yet: one is claimed at this clone's first `casefile open`"
    return f"station {station} ({where})"


def clone_desk(url: str, target: Path, now: str | None, actor: str | None, author: Identity | None) -> SetupResult:
    """Clone a case repository and set the clone up; nothing is left behind if that fails."""
    target = target.expanduser().resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise CasefileError(_("{target} exists and is not empty").format(target=target), _("give a new folder: casefile clone URL DIR"))
    created = not target.exists()
    try:
        clone(url, target)
        if not (target / POLICY_FILE).is_file():
            raise NotFound(
                _("{url} is not a case repository (it has no {POLICY_FILE})").format(url=url, POLICY_FILE=POLICY_FILE),
                _("clone a repository made with `casefile init`, or push one there first"),
            )
        session = Session.open(target, now, actor)
        return setup_clone(session, author or fallback_identity(session.repo))
    except BaseException:
        _empty(target, remove=created)
        raise


def _empty(folder: Path, remove: bool) -> None:
    """Undo a clone: remove the folder we made, or what we put into the empty one we were given."""
    if remove:
        shutil.rmtree(folder, ignore_errors=True)
        return
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def who_acts(session: Session) -> tuple[Identity, str]:
    """(author, handle): the person acting, else (cron, CI) git's user or `casefile` — syncing and setting up
    need no one in people.yaml."""
    try:
        return session.author(), session.actor.handle
    except CasefileError:
        identity = fallback_identity(session.repo)
        return identity, identity.email.split("@")[0]


def fallback_identity(repo: GitRepo) -> Identity:
    """Who commits when nobody in people.yaml is acting (CI, cron): git's user, else casefile."""
    name, email = repo.config("user.name"), repo.config("user.email")
    if name or email:
        return Identity(name or (email or "").split("@")[0], email or "casefile@casefile.invalid")
    return Identity("casefile", "casefile@casefile.invalid")


def target_for(url: str) -> Path:
    """The folder `git clone` would pick: the last part of the URL without .git."""
    name = url.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].removesuffix(".git")
    if not name or name in (".", ".."):
        raise CasefileError(_("cannot tell a folder name from {url!r}").format(url=url), _("give one: casefile clone URL DIR"))
    return Path(name)
