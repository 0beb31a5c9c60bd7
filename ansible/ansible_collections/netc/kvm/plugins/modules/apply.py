#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import annotations

DOCUMENTATION = r"""
module: apply
short_description: Make a KVM host match the folder netc build wrote for it
version_added: "0.1.0"
description:
  - Applies one host's folder of a C(netc build) (for a fleet, C(OUT/HOST)) with C(netc apply) on the managed host.
  - C(changed) is true exactly when C(netc status) says the host differs from the folder, that is when
    C(netc apply) would do something. A host already in sync is only read, never written.
  - In check mode the module runs only C(netc status) and C(netc apply --dry-run) and reports the same C(changed)
    a real run would; nothing on the host changes.
  - With C(--diff) it shows each file netc would install or remove (the installed text against the new), then
    every action in order (network restarts, live DHCP updates, guests plugged back into a bridge).
  - With O(confirm_timeout) the apply runs detached from the connection under netc's rollback timer; the
    module returns once every action is done and the apply waits (RV(waiting)). M(netc.kvm.confirm), run
    over a new connection, confirms it. If the controller cannot reach the host again (this task or the
    confirmation fails as unreachable), the host rolls back by itself when the timer runs out.
  - A change that cuts the connection this module came over leaves the task waiting for SSH to notice; set
    C(ServerAliveInterval) in the connection's C(ssh_args) so that it does within seconds.
  - The folder applied is kept on the host under O(state_dir), for M(netc.kvm.status) and for the apply
    waiting for confirmation.
author: netc developers (@netc)
requirements:
  - netc on the managed host (the netc Debian package)
options:
  src:
    description:
      - The host's folder C(netc build) wrote, on the controller (relative paths as for M(ansible.builtin.copy)).
      - With O(remote_src=true), a folder on the managed host.
    type: path
    required: true
  remote_src:
    description:
      - O(src) is already on the managed host.
    type: bool
    default: false
  allow_guest_disruption:
    description:
      - Allow restarting or removing a libvirt network that running guests use (C(--allow-guest-disruption)).
      - Without it netc refuses such an apply before any change, naming the guests; in check mode too.
    type: bool
    default: false
  ignore_preflight:
    description:
      - Apply even when netc's pre-flight finds something on the host that would fight it (C(--ignore-preflight)).
    type: bool
    default: false
  adopt:
    description:
      - Libvirt networks netc did not create that the folder's networks of the same name replace (C(--adopt)).
    type: list
    elements: str
    default: []
  confirm_timeout:
    description:
      - Apply under a rollback timer of this many seconds (C(netc apply --confirm)), detached from the
        connection; confirm with M(netc.kvm.confirm) over a new connection.
      - The timer starts once every action is done. Leave room for the controller to reconnect.
      - Omitted, the apply runs to its end within the task (a failed step still rolls the host back).
    type: int
extends_documentation_fragment:
  - netc.kvm.host
  - netc.kvm.host.connect
attributes:
  check_mode:
    description: Runs only C(netc status) and C(netc apply --dry-run); reports the same C(changed) as a real run.
    support: full
  diff_mode:
    description: Each file's installed text against the new, and the actions in order.
    support: full
  action:
    description: An action plugin sends O(src) from the controller to a temporary folder on the host.
    support: full
notes:
  - An earlier apply that did not finish or was not confirmed is a change too; netc rolls it back first.
seealso:
  - module: netc.kvm.confirm
  - module: netc.kvm.status
"""

EXAMPLES = r"""
- name: Apply this host's folder of the fleet build, under a 120 s rollback timer
  netc.kvm.apply:
    src: "out/{{ inventory_hostname }}"
    confirm_timeout: 120
  register: netc_apply

- name: Reconnect, so that the confirmation proves the host is still reachable
  ansible.builtin.meta: reset_connection

- name: Confirm; the host rolls back by itself if this cannot reach it
  netc.kvm.confirm:
  when: netc_apply.waiting

- name: Apply and allow restarting networks that running guests use
  netc.kvm.apply:
    src: "out/{{ inventory_hostname }}"
    allow_guest_disruption: true
"""

RETURN = r"""
differences:
  description: What C(netc status) found different before the apply, one line each; empty when in sync.
  returned: always
  type: list
  elements: str
  sample: ["libvirt network default: dhcp host 52:54:00:00:00:12 missing"]
actions:
  description: What C(netc apply) does (did, or would in check mode), in order, one line each.
  returned: always
  type: list
  elements: str
  sample: ["run virsh net-update default add ip-dhcp-host <host mac='52:54:00:00:00:12' name='db1' ip='192.168.122.12'/> --live --config"]
preflight:
  description: What netc's pre-flight found on the host that would fight it.
  returned: always
  type: list
  elements: str
waiting:
  description: The apply was started under O(confirm_timeout) and waits for M(netc.kvm.confirm).
  returned: always
  type: bool
log:
  description: What C(netc apply) printed, a line each.
  returned: when the apply ran
  type: list
  elements: str
"""

import json
import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.netc.kvm.plugins.module_utils import netc as util


def apply_options(params):
    options = util.host_options(params)
    if params["allow_guest_disruption"]:
        options.append("--allow-guest-disruption")
    if params["ignore_preflight"]:
        options.append("--ignore-preflight")
    for name in params["adopt"]:
        options += ["--adopt", name]
    return options


def main():
    module = AnsibleModule(
        argument_spec=util.argument_spec(
            src=dict(type="path", required=True),
            remote_src=dict(type="bool", default=False),
            allow_guest_disruption=dict(type="bool", default=False),
            ignore_preflight=dict(type="bool", default=False),
            adopt=dict(type="list", elements="str", default=[]),
            confirm_timeout=dict(type="int"),
        ),
        supports_check_mode=True,
    )
    p = module.params
    if p["confirm_timeout"] is not None and p["confirm_timeout"] < 1:
        module.fail_json(msg="confirm_timeout is a number of seconds, 1 or more")
    netc = util.executable(module)
    running = util.job_running(p)
    if running:
        module.fail_json(msg="an apply started by netc.kvm.apply (pid %d) still waits for confirmation: "
                             "confirm it with netc.kvm.confirm, or let its timer run out" % running)
    out = util.unpack(module, p["src"])
    result = dict(changed=False, differences=[], actions=[], preflight=[], waiting=False)

    state = util.status(module, netc, out)
    result["differences"] = state["differences"]
    result["preflight"] = state["preflight"]
    pending = util.pending(p)
    if pending:
        result["differences"].append("an earlier netc apply did not finish or was not confirmed: apply rolls it back first")
    elif state["in_sync"]:
        module.exit_json(**result)

    # The plan, from netc itself: what check mode reports and --diff shows.
    # A dry run refuses what the apply would refuse (guests disrupted,
    # pre-flight findings are listed); with a pending apply it cannot plan.
    if not pending:
        cmd = [netc, "apply", out, "--dry-run", "--format", "json"] + apply_options(p)
        rc, stdout, stderr = module.run_command(cmd)
        if rc != 0:
            module.fail_json(msg="netc apply would refuse: %s" % stderr.strip(), rc=rc, cmd=cmd, **result)
        plan = json.loads(stdout)
        result["actions"] = [a["description"] for a in plan["actions"]]
        result["preflight"] = plan["preflight"]
        result["changed"] = plan["changes"]
        if module._diff:
            result["diff"] = util.file_diffs(p, plan["actions"])
    else:
        result["changed"] = True
    if module.check_mode or not result["changed"]:
        module.exit_json(**result)

    applied = os.path.join(p["state_dir"], util.APPLIED)
    util.replace_folder(out, applied)
    cmd = [netc, "apply", applied] + apply_options(p)
    if p["confirm_timeout"] is not None:
        util.start_job(module, cmd + ["--confirm", str(p["confirm_timeout"])])
        # Until every action is done: if they cut this connection, the
        # task fails as unreachable and nothing confirms the apply.
        state, rc = util.wait_for_job(p, timeout=24 * 3600)
        result["log"] = util.job_log(p)
        result["waiting"] = state == "waiting"
        failed = "netc apply failed"
    else:
        rc, stdout, stderr = module.run_command(cmd)
        result["log"] = stderr.splitlines()
        failed = "netc apply failed: %s" % stderr.strip()
    if rc == util.EXIT_ROLLED_BACK:
        module.fail_json(msg="netc apply failed and rolled the host back", rc=rc, **result)
    if rc != 0 and not result["waiting"]:
        module.fail_json(msg=failed, rc=rc, **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
