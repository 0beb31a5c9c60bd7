# -*- coding: utf-8 -*-
# The action of netc.kvm.apply: sends the host's built folder from the
# controller to Ansible's temporary folder on the host (a tar archive, in
# check mode too: it changes nothing netc manages and is removed with the
# temporary folder), then runs the module on it.

from __future__ import annotations

import os
import tarfile
import tempfile

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase


def archive(folder, path):
    """A tar archive of folder's files and folders, in a stable order, owned by root."""
    def reset(info):
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        info.mtime = 0
        return info

    with tarfile.open(path, "w") as tar:
        for parent, folders, files in os.walk(folder):
            folders.sort()
            for name in sorted(folders) + sorted(files):
                full = os.path.join(parent, name)
                if os.path.islink(full) or not (os.path.isfile(full) or os.path.isdir(full)):
                    raise AnsibleActionFail("%s is neither a file nor a folder: src must be a folder netc build wrote" % full)
                tar.add(full, arcname=os.path.relpath(full, folder), recursive=False, filter=reset)


class ActionModule(ActionBase):

    TRANSFERS_FILES = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        args = self._task.args.copy()
        try:
            if not boolean(args.get("remote_src", False), strict=False):
                src = args.get("src")
                if not src:
                    raise AnsibleActionFail("src is required: the host's folder netc build wrote")
                try:
                    folder = self._find_needle("files", src)
                except Exception as e:
                    raise AnsibleActionFail("src %s: %s" % (src, to_text(e)))
                if not os.path.isdir(folder):
                    raise AnsibleActionFail("src %s is not a folder (netc build writes one per host: OUT/HOST)" % folder)
                if not os.path.exists(os.path.join(folder, "nftables", "netc.nft")):
                    raise AnsibleActionFail("src %s holds no nftables/netc.nft: is it a folder netc build wrote?" % folder)
                fd, local = tempfile.mkstemp(prefix="netc-out-", suffix=".tar")
                os.close(fd)
                try:
                    archive(folder, local)
                    remote = self._connection._shell.join_path(self._connection._shell.tmpdir, "netc-out.tar")
                    self._transfer_file(local, remote)
                finally:
                    os.unlink(local)
                self._fixup_perms2((self._connection._shell.tmpdir, remote))
                args["src"] = remote
                args["remote_src"] = True
            result.update(self._execute_module(module_name="netc.kvm.apply", module_args=args, task_vars=task_vars))
        except AnsibleActionFail as e:
            result.update(e.result)
        finally:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result
