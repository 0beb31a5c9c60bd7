# -*- coding: utf-8 -*-
# The options every netc.kvm module takes to reach netc on the managed host,
# documented once (extends_documentation_fragment: netc.kvm.host, and
# netc.kvm.host.connect for the modules that talk to libvirt).

from __future__ import annotations


class ModuleDocFragment(object):

    DOCUMENTATION = r"""
options:
  state_dir:
    description:
      - Where netc.kvm keeps, on the managed host, the folder M(netc.kvm.apply) applied (C(out/)) and the job of
        an apply waiting for confirmation (C(job/)).
    type: path
    default: /var/lib/netc-ansible
  root:
    description:
      - The host's root folder netc installs files under (C(netc apply --root)); for images and tests.
    type: path
    default: /
  executable:
    description:
      - The netc command on the managed host, a name on its C(PATH) or a path.
    type: str
    default: netc
"""

    CONNECT = r"""
options:
  connect:
    description:
      - The libvirt URI virsh uses (C(netc apply --connect)); virsh's own default when omitted.
    type: str
"""
