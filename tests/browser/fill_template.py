"""Fills the needs template a focal point downloaded from the pages, as a
ministry does in a spreadsheet program: openpyxl (a tool we did not write)
opens the workbook, writes rows under the two header rows, and saves it.

    python fill_template.py TEMPLATE.xlsx OUT.xlsx ROWS_JSON

ROWS_JSON is a list of objects keyed by the HXL tags of the template's
second header row (#item+code, #need+num, ...); a tag set to "" empties
the cell the template filled in (the country code, to give a name instead).
"""
import json
import sys

import openpyxl


def main() -> None:
    template, out, rows = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    wb = openpyxl.load_workbook(template)
    ws = wb["Needs"]
    tags = {cell.value: cell.column for cell in ws[2] if cell.value}
    for offset, row in enumerate(rows):
        r = 3 + offset
        for tag, value in row.items():
            if tag not in tags:
                raise SystemExit(f"the template has no column tagged {tag}: {sorted(tags)}")
            # cell(value=None) would keep what is there; assign to empty it.
            ws.cell(row=r, column=tags[tag]).value = value if value != "" else None
    wb.save(out)


if __name__ == "__main__":
    main()
