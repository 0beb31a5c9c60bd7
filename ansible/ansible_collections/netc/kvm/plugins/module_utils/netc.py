# -*- coding: utf-8 -*-
# Shared by the netc.kvm modules: how they run netc on the managed host and
# read its answers. netc decides; these only ask it (netc status and
# netc apply --dry-run --format json) and report.

from __future__ import annotations

import json
import os
import shutil
import subprocess
import socket
import tarfile
import tempfile
import time

# netc's own state folder under the host's root (docs/install.md): the
# pending mark of an apply not yet finished or confirmed.
NETC_STATE = "var/lib/netc"
# What the apply module keeps under state_dir: the folder it applied, and
# the job of an apply waiting for confirmation (log, rc, pid).
APPLIED = "out"
JOB = "job"
# Exit statuses of netc (docs/diagnostics.md).
EXIT_DRIFTED = 2
EXIT_ROLLED_BACK = 5
# The line netc apply --confirm prints once every action is done and its
# rollback timer runs.
WAITING_LINE = "netc: apply: applied; rolling back in"


def argument_spec(connect=True, **options):
    """The options of the doc fragment netc.kvm.host (and .connect), then the module's own."""
    spec = dict(
        state_dir=dict(type="path", default="/var/lib/netc-ansible"),
        root=dict(type="path", default="/"),
        executable=dict(type="str", default="netc"),
    )
    if connect:
        spec["connect"] = dict(type="str")
    spec.update(options)
    return spec


def host_options(params):
    """The options every netc command on the host takes: --root, --connect."""
    options = ["--root", params["root"]]
    if params.get("connect"):
        options += ["--connect", params["connect"]]
    return options


def executable(module):
    name = module.params["executable"]
    if "/" in name:
        if not os.access(name, os.X_OK):
            module.fail_json(msg="netc is not at %s (executable)" % name)
        return name
    return module.get_bin_path(name, required=True)


def status(module, netc, out):
    """netc status OUT --format json, as a dict (in_sync, differences, preflight)."""
    cmd = [netc, "status", out, "--format", "json"] + host_options(module.params)
    rc, stdout, stderr = module.run_command(cmd)
    if rc not in (0, EXIT_DRIFTED):
        module.fail_json(msg="netc status could not read this host: %s" % stderr.strip(), rc=rc, cmd=cmd)
    answer = json.loads(stdout)
    return {
        "in_sync": answer["inSync"],
        "differences": answer["differences"],
        "preflight": answer["preflight"],
    }


def pending(params):
    """An earlier apply that did not finish or was not confirmed: the next apply rolls it back first."""
    return os.path.exists(os.path.join(params["root"], NETC_STATE, "pending"))


def job_dir(params):
    return os.path.join(params["state_dir"], JOB)


def job_running(params):
    """The pid of an apply this collection started that has not ended, or None."""
    job = job_dir(params)
    if os.path.exists(os.path.join(job, "rc")):
        return None
    try:
        with open(os.path.join(job, "pid")) as f:
            pid = int(f.read().strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except OSError:
        return None
    return pid


def read_text(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return None


def unpack(module, src):
    """src on the host: a folder, or the tar archive of one the action plugin sent. Returns a folder."""
    if os.path.isdir(src):
        return src
    if not os.path.isfile(src):
        module.fail_json(msg="src %s is neither a folder netc build wrote nor an archive of one" % src)
    folder = tempfile.mkdtemp(prefix="netc-out-", dir=module.tmpdir)
    with tarfile.open(src) as archive:
        for member in archive.getmembers():
            name = os.path.normpath(member.name)
            if name.startswith("..") or os.path.isabs(name) or not (member.isfile() or member.isdir()):
                module.fail_json(msg="the archive of src holds %s, which is not a file of the folder" % member.name)
        if hasattr(tarfile, "data_filter"):
            archive.extractall(folder, filter="data")
        else:
            archive.extractall(folder)
    return folder


def replace_folder(source, dest):
    """dest becomes a copy of source (a sibling copy renamed into place)."""
    parent = os.path.dirname(dest.rstrip("/")) or "/"
    os.makedirs(parent, exist_ok=True)
    fresh = tempfile.mkdtemp(prefix=".out-", dir=parent)
    os.rmdir(fresh)
    shutil.copytree(source, fresh)
    old = None
    if os.path.exists(dest):
        old = tempfile.mkdtemp(prefix=".old-", dir=parent)
        os.rmdir(old)
        os.rename(dest, old)
    os.rename(fresh, dest)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def file_diffs(params, actions):
    """Ansible diffs of each file an apply would install or remove: the installed bytes against OUT's."""
    diffs = []
    for a in actions:
        if a["action"] not in ("install", "remove"):
            continue
        path = a["path"]
        before = read_text(os.path.join(params["root"], path.lstrip("/")))
        diffs.append({
            "before_header": path if before is not None else "%s (absent)" % path,
            "after_header": path if a["action"] == "install" else "%s (removed)" % path,
            "before": before or "",
            "after": a.get("text", ""),
        })
    lines = [a["description"] for a in actions]
    if lines:
        diffs.append({"prepared": "netc apply would, in order:\n" + "".join("  %s\n" % line for line in lines)})
    return diffs


def start_job(module, command):
    """Runs command detached from this connection (its own session, output
    to state_dir/job/log, exit status to job/rc): it outlives the SSH
    connection, so that a host the controller can no longer reach still
    rolls back when its timer runs out."""
    job = job_dir(module.params)
    shutil.rmtree(job, ignore_errors=True)
    os.makedirs(job)
    script = '"$@" >"$NETC_JOB/log" 2>&1 </dev/null; echo $? >"$NETC_JOB/rc.new"; mv "$NETC_JOB/rc.new" "$NETC_JOB/rc"'
    env = dict(os.environ, NETC_JOB=job)
    with open(os.devnull, "r+b") as null:
        child = subprocess.Popen(["/bin/sh", "-c", script, "netc-job"] + command, cwd="/", env=env,
                                 stdin=null, stdout=null, stderr=null, close_fds=True, start_new_session=True)
    with open(os.path.join(job, "pid"), "w") as f:
        f.write("%d\n" % child.pid)
    return job


def job_log(params):
    return (read_text(os.path.join(job_dir(params), "log")) or "").splitlines()


def job_ended(params):
    """The job's exit status once it has ended, else None."""
    text = read_text(os.path.join(job_dir(params), "rc"))
    return int(text.strip()) if text is not None else None


def wait_for_job(params, timeout, until_waiting=True):
    """Until the job has ended ("ended", its exit status), or with
    until_waiting its apply waits for its confirmation ("waiting", None), or
    timeout ("timeout", None)."""
    deadline = time.time() + timeout
    while True:
        rc = job_ended(params)
        if rc is not None:
            return "ended", rc
        if until_waiting and any(line.startswith(WAITING_LINE) for line in job_log(params)):
            return "waiting", None
        if time.time() > deadline:
            return "timeout", None
        time.sleep(0.2)


def connection_kept(params):
    """None when the SSH connection this module came over would survive: the
    host still holds the address the controller reached it at, and its
    route back to the controller leaves from it. Else what is wrong. Without
    SSH (a local connection), None."""
    words = os.environ.get("SSH_CONNECTION", "").split()
    if len(words) != 4:
        return None
    client, server = words[0], words[2]
    family = socket.AF_INET6 if ":" in server else socket.AF_INET
    probe = socket.socket(family, socket.SOCK_DGRAM)
    try:
        probe.bind((server, 0))
    except OSError:
        return "this host no longer holds %s, the address the controller reached it at" % server
    finally:
        probe.close()
    probe = socket.socket(family, socket.SOCK_DGRAM)
    try:
        probe.connect((client, 9))
        source = probe.getsockname()[0]
    except OSError as e:
        return "this host has no route back to the controller at %s: %s" % (client, e)
    finally:
        probe.close()
    if source != server:
        return "this host's route back to the controller at %s leaves from %s, not from %s" % (client, source, server)
    return None
