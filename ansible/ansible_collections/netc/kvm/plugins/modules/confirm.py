#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import annotations

DOCUMENTATION = r"""
module: confirm
short_description: Confirm the netc apply waiting under its rollback timer on a KVM host
version_added: "0.1.0"
description:
  - Confirms the apply M(netc.kvm.apply) started with O(netc.kvm.apply#module:confirm_timeout)
    (C(netc apply --confirmed)) and waits for it to finish.
  - Run it over a new connection (M(ansible.builtin.meta) with C(reset_connection) before it); reaching the host is
    the proof that the apply left it reachable. If the controller cannot reach the host, this task fails as
    unreachable and the host rolls back by itself when the timer runs out.
  - Fails when the apply failed (netc rolled the host back), or when its timer ran out before this module
    reached the host (the host rolled back).
author: netc developers (@netc)
requirements:
  - netc on the managed host (the netc Debian package)
options:
  timeout:
    description:
      - Seconds to wait for the apply to reach its confirmation, and then to finish.
    type: int
    default: 300
extends_documentation_fragment:
  - netc.kvm.host
attributes:
  check_mode:
    description: Confirms nothing (check mode starts no apply).
    support: full
  diff_mode:
    description: No diff.
    support: none
seealso:
  - module: netc.kvm.apply
"""

EXAMPLES = r"""
- name: Reconnect
  ansible.builtin.meta: reset_connection

- name: Confirm the apply started by netc.kvm.apply with confirm_timeout
  netc.kvm.confirm:
  when: netc_apply.waiting
"""

RETURN = r"""
log:
  description: What the confirmed C(netc apply) printed, a line each.
  returned: always
  type: list
  elements: str
  sample: ["netc: apply: applied; rolling back in 120 s unless confirmed: ...", "netc: apply: confirmed"]
"""

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.netc.kvm.plugins.module_utils import netc as util


def main():
    module = AnsibleModule(
        argument_spec=util.argument_spec(
            connect=False,
            timeout=dict(type="int", default=300),
        ),
        supports_check_mode=True,
    )
    p = module.params
    if module.check_mode:
        module.exit_json(changed=False, log=[], msg="check mode: no apply to confirm")
    if not os.path.exists(os.path.join(util.job_dir(p), "pid")):
        module.fail_json(msg="no apply started by netc.kvm.apply with confirm_timeout on this host (%s)" % util.job_dir(p), log=[])
    netc = util.executable(module)
    state, rc = util.wait_for_job(p, p["timeout"])
    confirmed = state == "waiting"
    if state == "timeout":
        module.fail_json(msg="the apply did not reach its confirmation within %d s" % p["timeout"], log=util.job_log(p))
    if state == "waiting":
        # This connection came after every action; it must also outlive
        # them: the address it reached, and the way back, still here.
        lost = util.connection_kept(p)
        if lost:
            module.fail_json(msg="not confirming: %s; the host rolls back when its timer runs out" % lost, log=util.job_log(p))
        cmd = [netc, "apply", "--confirmed", "--root", p["root"]]
        crc, stdout, stderr = module.run_command(cmd)
        if crc != 0:
            module.fail_json(msg="netc apply --confirmed failed: %s" % stderr.strip(), rc=crc, log=util.job_log(p))
        state, rc = util.wait_for_job(p, p["timeout"], until_waiting=False)
        if state == "timeout":
            module.fail_json(msg="the confirmed apply did not finish within %d s" % p["timeout"], log=util.job_log(p))
    if rc == util.EXIT_ROLLED_BACK:
        module.fail_json(msg="netc rolled the host back (a step failed, or its timer ran out before the confirmation)",
                         rc=rc, log=util.job_log(p))
    if rc != 0:
        module.fail_json(msg="netc apply failed", rc=rc, log=util.job_log(p))
    module.exit_json(changed=confirmed, log=util.job_log(p))


if __name__ == "__main__":
    main()
