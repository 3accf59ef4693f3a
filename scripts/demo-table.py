"""Prints the demo's comparison table from `distill analyze --format json` reports.

Input lines (tab-separated): image tag, cold build seconds, cached build
seconds, path of the image's analyze JSON. Exits 1 when the table contradicts
what the demo claims (check_claims).
"""
import json
import sys


def human(n):
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f}{unit}" if unit == "B" else f"{n:.1f}{unit}"
        n /= 1000.0


def main():
    rows = []
    for line in sys.stdin:
        tag, cold, cached, path = line.rstrip("\n").split("\t")
        with open(path) as f:
            report = json.load(f)
        categories = {f["category"] for f in report["findings"]}
        rows.append([
            tag,
            human(report["compressedSize"]),
            human(report["contentSize"]),
            str(len(report["layers"])),
            "yes" if "shell" in categories else "no",
            "yes" if "package-manager" in categories else "no",
            "yes" if "root" in categories else "no",
            cold + " s",
            cached + " s",
            report["compressedSize"],
        ])
    header = ["IMAGE", "SIZE (gz)", "UNPACKED", "LAYERS", "SHELL?", "PKG MANAGER?", "ROOT?",
              "BUILD COLD", "CACHED"]
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    for r in [header] + rows:
        print("  ".join(c.ljust(w) for c, w in zip(r[:len(header)], widths)).rstrip())
    sizes = {r[0]: r[9] for r in rows}
    single = next((t for t in sizes if t.endswith(":single")), None)
    multi = next((t for t in sizes if t.endswith(":multistage")), None)
    if single and multi and sizes[single]:
        print()
        print(f"{multi} is {100.0 * sizes[multi] / sizes[single]:.0f}% of {single}'s"
              " compressed size.")
    problems = check_claims(rows, single, multi)
    for p in problems:
        print(f"demo: claim not met: {p}", file=sys.stderr)
    if problems:
        sys.exit(1)
    print("Checked: the multi-stage image is smaller, and only the single-stage image has a "
          "shell, a package manager or root.")


def check_claims(rows, single, multi):
    """What the demo claims, as a list of what the table contradicts."""
    problems = []
    by_tag = {r[0]: r for r in rows}
    if single is None or multi is None:
        return ["the table lacks the :single or the :multistage image"]
    if by_tag[multi][9] >= by_tag[single][9]:
        problems.append(f"{multi} is not smaller than {single}")
    for tag, row in by_tag.items():
        shell, pkg, root = row[4], row[5], row[6]
        if tag == single:
            if (shell, pkg, root) != ("yes", "yes", "yes"):
                problems.append(f"{tag} should show a shell, a package manager and root")
        elif "yes" in (shell, pkg, root):
            problems.append(f"{tag} has a shell, a package manager or root")
    return problems


if __name__ == "__main__":
    main()
