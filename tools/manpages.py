#!/usr/bin/env python3
"""Writes man pages for netc and each subcommand from the command tree the
binary describes itself (`netc --experimental-dump-help`), so they never
drift from the real options.

    tools/manpages.py NETC OUTDIR
"""
import json, subprocess, sys, os

netc, outdir = sys.argv[1], sys.argv[2]
tree = json.loads(subprocess.run([netc, "--experimental-dump-help"], check=True, capture_output=True, text=True).stdout)["command"]
version = subprocess.run([netc, "--version"], check=True, capture_output=True, text=True).stdout.strip()

def esc(s):
    s = s.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join(("\\&" + l if l.startswith((".", "'")) else l) for l in s.split("\n"))

def option(a):
    names = ", ".join(("--" if n["kind"] == "long" else "-") + n["name"] for n in a.get("names", []))
    if a["kind"] == "positional":
        return "\\fI" + esc(a["valueName"]) + "\\fR"
    if a["kind"] == "option":
        names = ", ".join("\\fB" + esc(("--" if n["kind"] == "long" else "-") + n["name"]) + "\\fR \\fI" + esc(a["valueName"]) + "\\fR"
                          for n in a.get("names", []))
        return names
    return ", ".join("\\fB" + esc(("--" if n["kind"] == "long" else "-") + n["name"]) + "\\fR" for n in a.get("names", []))

def page(cmd, path):
    name = " ".join(path)
    title = "-".join(path).upper()
    lines = [f'.TH {title} 1 "" "{esc(version)}" "netc manual"', ".SH NAME", f"{esc('-'.join(path))} \\- {esc(cmd.get('abstract', ''))}"]
    args = [a for a in cmd.get("arguments", []) if a.get("shouldDisplay", True)]
    usage = " ".join(("[" + option(a) + "]") if a.get("isOptional") else option(a) for a in args)
    lines += [".SH SYNOPSIS", f"\\fB{esc(name)}\\fR {usage}"]
    if cmd.get("discussion"):
        lines += [".SH DESCRIPTION", esc(cmd["discussion"])]
    if args:
        lines.append(".SH OPTIONS")
        for a in args:
            lines += [".TP", option(a), esc(a.get("abstract", ""))]
            if a.get("discussion"):
                lines += [".IP", esc(a["discussion"])]
    subs = [s for s in cmd.get("subcommands", []) if s.get("shouldDisplay", True) and s["commandName"] != "help"]
    if subs:
        lines.append(".SH COMMANDS")
        for s in subs:
            lines += [".TP", f"\\fB{esc(s['commandName'])}\\fR", esc(s.get("abstract", ""))]
        lines += [".SH SEE ALSO", ", ".join(f"\\fBnetc\\-{esc(s['commandName'])}\\fR(1)" for s in subs)]
    else:
        lines += [".SH SEE ALSO", "\\fBnetc\\fR(1)"]
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "-".join(path) + ".1"), "w") as f:
        f.write("\n".join(lines) + "\n")
    for s in subs:
        page(s, path + [s["commandName"]])

page(tree, [tree["commandName"]])
