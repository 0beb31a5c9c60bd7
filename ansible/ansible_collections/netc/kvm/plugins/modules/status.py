#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import annotations

DOCUMENTATION = r"""
module: status
short_description: What netc status says of a KVM host, as facts
version_added: "0.1.0"
description:
  - Compares the host with the folder M(netc.kvm.apply) last applied (or O(out)) with C(netc status), changing
    nothing, and returns the answer as the fact C(netc_status).
author: netc developers (@netc)
requirements:
  - netc on the managed host (the netc Debian package)
options:
  out:
    description:
      - A folder C(netc build) wrote, on the managed host. Default, the folder M(netc.kvm.apply) applied,
        C(STATE_DIR/out).
    type: path
extends_documentation_fragment:
  - netc.kvm.host
  - netc.kvm.host.connect
attributes:
  check_mode:
    description: Reads only, in either mode.
    support: full
  diff_mode:
    description: No diff.
    support: none
  facts:
    description: Sets C(netc_status).
    support: full
seealso:
  - module: netc.kvm.apply
"""

EXAMPLES = r"""
- name: Read what netc status says
  netc.kvm.status:

- name: Fail when a host drifted from what was applied
  ansible.builtin.assert:
    that: netc_status.in_sync
    fail_msg: "{{ netc_status.differences | join('\n') }}"
"""

RETURN = r"""
ansible_facts:
  description: The fact C(netc_status).
  returned: always
  type: complex
  contains:
    netc_status:
      description: What C(netc status) said.
      type: complex
      returned: always
      contains:
        applied:
          description: The folder compared with exists (false when nothing was applied here yet).
          type: bool
          returned: always
        out:
          description: The folder compared with.
          type: str
          returned: always
        in_sync:
          description: The host matches the folder (C(netc apply) would do nothing).
          type: bool
          returned: always
        differences:
          description: One line per difference.
          type: list
          elements: str
          returned: always
        preflight:
          description: What would fight netc on this host.
          type: list
          elements: str
          returned: always
        pending:
          description: An apply did not finish or is waiting for confirmation.
          type: bool
          returned: always
"""

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.netc.kvm.plugins.module_utils import netc as util


def main():
    module = AnsibleModule(
        argument_spec=util.argument_spec(
            out=dict(type="path"),
        ),
        supports_check_mode=True,
    )
    p = module.params
    out = p["out"] or os.path.join(p["state_dir"], util.APPLIED)
    facts = dict(applied=os.path.isdir(out), out=out, in_sync=False, differences=[], preflight=[], pending=util.pending(p))
    if p["out"] and not facts["applied"]:
        module.fail_json(msg="out %s is not a folder on this host" % out)
    if facts["applied"]:
        facts.update(util.status(module, util.executable(module), out))
    module.exit_json(changed=False, ansible_facts=dict(netc_status=facts))


if __name__ == "__main__":
    main()
