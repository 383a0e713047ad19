//! XLSX: read with calamine cell by cell (dates in either epoch), written
//! with rust_xlsxwriter: exports with a frozen header and filters, and the
//! per-country template with drop-down lists and an instructions sheet.

use crate::cells::Out;
use crate::cells::{Cell, neutralise};
use crate::columns::{Column, Field, NEED_COLUMNS};
use crate::error::ExportError;
use crate::mapping::Mapper;
use crate::source::{ReadSeek, RowSink};
use calamine::{DataRef, Reader, Xlsx};
use needsdb_domain::reference::CatalogueItem;
use needsdb_domain::{NeedStatus, Priority};
use rust_xlsxwriter::{DataValidation, ExcelDateTime, Format, Formula, Workbook, Worksheet, XlsxError};

/// The sheet an import reads: one named for the records, or the first
/// sheet that is not the template's instructions or lists.
fn data_sheet(names: &[String]) -> Option<String> {
    let lower = |s: &String| s.to_lowercase();
    names
        .iter()
        .find(|n| matches!(lower(n).as_str(), "needs" | "contributions"))
        .or_else(|| {
            names
                .iter()
                .find(|n| !matches!(lower(n).as_str(), "instructions" | "lists"))
        })
        .cloned()
}

fn cell_of(v: &DataRef) -> Cell {
    match v {
        DataRef::Empty => Cell::Empty,
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_owned()),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(d) if d.is_datetime() => match d.as_datetime() {
            Some(dt) => Cell::Date(dt.date()),
            None => Cell::Error(format!("date serial {}", d.as_f64())),
        },
        DataRef::DateTime(d) => Cell::Number(d.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

pub(crate) fn read(reader: Box<dyn ReadSeek>, mapper: &mut Mapper, sink: &mut RowSink) {
    let fail = |mapper: &mut Mapper, message: String| {
        mapper.problem(
            0,
            None,
            "file",
            "not_xlsx",
            message,
            "save the sheet as an Excel workbook (.xlsx), or as CSV UTF-8".into(),
        )
    };
    let mut wb: Xlsx<_> = match Xlsx::new(reader) {
        Ok(wb) => wb,
        Err(e) => return fail(mapper, format!("the file is not a readable XLSX workbook: {e}")),
    };
    mapper.epoch_1904 = wb.has_1904_epoch();
    let Some(sheet) = data_sheet(&wb.sheet_names()) else {
        return fail(mapper, "the workbook has no sheet to read".into());
    };
    let mut cells = match wb.worksheet_cells_reader(&sheet) {
        Ok(c) => c,
        Err(e) => return fail(mapper, format!("sheet '{sheet}' cannot be read: {e}")),
    };
    let mut current: Option<u32> = None;
    let mut row: Vec<Cell> = Vec::new();
    loop {
        let next = match cells.next_cell() {
            Ok(n) => n,
            Err(e) => {
                let at = current.map_or(0, |r| u64::from(r) + 1);
                mapper.problem(
                    at,
                    None,
                    "file",
                    "malformed_xlsx",
                    format!("sheet '{sheet}' cannot be read past row {at}: {e}"),
                    "open the workbook in a spreadsheet and save it again".into(),
                );
                return;
            }
        };
        let Some(c) = next else { break };
        let (r, col) = c.get_position();
        if current != Some(r) {
            if let Some(prev) = current
                && !sink(mapper, u64::from(prev) + 1, std::mem::take(&mut row))
            {
                return;
            }
            current = Some(r);
        }
        let col = col as usize;
        if col > crate::mapping::MAX_COLUMNS {
            // The row is reported as too wide once; its further cells are not kept.
            if row.len() == crate::mapping::MAX_COLUMNS + 1 {
                continue;
            }
            row.resize(crate::mapping::MAX_COLUMNS + 1, Cell::Empty);
            continue;
        }
        if row.len() <= col {
            row.resize(col + 1, Cell::Empty);
        }
        row[col] = cell_of(c.get_value());
    }
    if let Some(prev) = current {
        sink(mapper, u64::from(prev) + 1, row);
    }
}

fn x(e: XlsxError) -> ExportError {
    ExportError::Format(format!("cannot write the workbook: {e}"))
}

fn col_u16(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

/// Labels in row 1 (bold), hashtags in row 2, both frozen, with filters.
fn header(ws: &mut Worksheet, columns: &[Column], rows: usize) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold().set_background_color("#DDEBF7");
    let tag = Format::new().set_italic().set_font_color("#555555");
    for (i, c) in columns.iter().enumerate() {
        ws.write_string_with_format(0, col_u16(i), c.label, &bold)?;
        ws.write_string_with_format(1, col_u16(i), c.tag, &tag)?;
        let width = c.label.len().max(c.tag.len()).clamp(10, 40);
        ws.set_column_width(col_u16(i), width as f64 + 2.0)?;
    }
    ws.set_freeze_panes(2, 0)?;
    let last_row = u32::try_from(rows + 1).unwrap_or(u32::MAX);
    ws.autofilter(1, 0, last_row, col_u16(columns.len().saturating_sub(1)))?;
    Ok(())
}

pub fn write_export(sheet: &str, columns: &[Column], rows: &[Vec<Out>]) -> Result<Vec<u8>, ExportError> {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet();
    ws.set_name(sheet).map_err(x)?;
    header(ws, columns, rows.len()).map_err(x)?;
    for (r, cells) in rows.iter().enumerate() {
        let r = u32::try_from(r + 2).unwrap_or(u32::MAX);
        for (c, cell) in cells.iter().enumerate() {
            let c = col_u16(c);
            match cell {
                Out::Empty => {}
                Out::Text(s) => {
                    ws.write_string(r, c, neutralise(s)).map_err(x)?;
                }
                // Numbers stay text when a float would round them.
                Out::Number(s) => match s.parse::<f64>() {
                    Ok(f) if f.to_string() == *s => {
                        ws.write_number(r, c, f).map_err(x)?;
                    }
                    _ => {
                        ws.write_string(r, c, s).map_err(x)?;
                    }
                },
                Out::Date(s) => match ExcelDateTime::parse_from_str(s) {
                    Ok(d) => {
                        ws.write_datetime_with_format(r, c, &d, &date).map_err(x)?;
                    }
                    Err(_) => {
                        ws.write_string(r, c, s).map_err(x)?;
                    }
                },
            }
        }
    }
    wb.save_to_buffer().map_err(x)
}

/// Rows of the template that carry the drop-down lists.
const TEMPLATE_ROWS: u32 = 1000;

/// The per-country template: a Needs sheet with drop-downs for items,
/// units, priorities and statuses, a Lists sheet they draw from, and an
/// Instructions sheet. It reads back through the ordinary import.
pub fn write_template(iso3: &str, country_name: &str, items: &[CatalogueItem]) -> Result<Vec<u8>, ExportError> {
    // A retired item is offered for no new need.
    let items: Vec<&CatalogueItem> = items.iter().filter(|i| !i.retired).collect();
    let money: Vec<String> = items
        .iter()
        .filter(|i| i.unit_kind == needsdb_domain::reference::UnitKind::Money)
        .map(|i| i.code.to_string())
        .collect();
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let bold = Format::new().set_bold();

    let instructions = wb.add_worksheet();
    instructions.set_name("Instructions").map_err(x)?;
    instructions.set_column_width(0, 110).map_err(x)?;
    let lines = [
        format!("needsdb needs template for {country_name} ({iso3})"),
        String::new(),
        "1. Fill in the Needs sheet, one need per row, from row 3. Rows 1 and 2 are the header: do not change them.".into(),
        format!("2. Country code is already {iso3}. Leave it as it is."),
        "3. Item code: choose from the list (the Lists sheet has every item with its unit and cluster).".into(),
        format!(
            "4. Quantity needed: a number in the item's unit, with a dot for decimals. For money ({}), leave it empty and fill Amount needed and Currency.",
            if money.is_empty() { "a financial item".to_owned() } else { format!("item {}", money.join(" or ")) }
        ),
        "5. Priority: critical, high, medium or low. Needed by: a date.".into(),
        "6. External id: your own reference for the row. Importing the file again updates those rows instead of adding them twice.".into(),
        "7. Status: submitted (the default) sends the need for validation; draft keeps it to yourself.".into(),
        "8. Send it on the needsdb pages (Upload a file): every problem is shown by row and column before anything is written. From the command line: needsdb import FILE.xlsx --dry-run, then without --dry-run.".into(),
        String::new(),
        "Columns you add are ignored, with a warning. Nothing is written unless every row is correct.".into(),
    ];
    for (i, l) in lines.iter().enumerate() {
        let r = u32::try_from(i).unwrap_or(0);
        if i == 0 {
            instructions.write_string_with_format(r, 0, l, &bold).map_err(x)?;
        } else {
            instructions.write_string(r, 0, l).map_err(x)?;
        }
    }

    let needs = wb.add_worksheet();
    needs.set_name("Needs").map_err(x)?;
    header(needs, NEED_COLUMNS, TEMPLATE_ROWS as usize).map_err(x)?;
    let col = |f: Field| col_u16(NEED_COLUMNS.iter().position(|c| c.field == f).unwrap_or(0));
    for r in 2..(TEMPLATE_ROWS + 2) {
        needs.write_string(r, col(Field::Country), iso3).map_err(x)?;
    }
    let last = TEMPLATE_ROWS + 1;
    let n_items = u32::try_from(items.len()).unwrap_or(0);
    let mut units: Vec<&str> = items.iter().map(|i| i.unit.as_str()).collect();
    units.sort_unstable();
    units.dedup();
    let lists: [(Field, String); 4] = [
        (Field::Item, format!("=Lists!$A$2:$A${}", n_items + 1)),
        (Field::Unit, format!("=Lists!$F$2:$F${}", units.len() + 1)),
        (Field::Priority, format!("=Lists!$G$2:$G${}", Priority::ALL.len() + 1)),
        (Field::Status, "=Lists!$H$2:$H$3".to_owned()),
    ];
    for (field, range) in lists {
        let dv = DataValidation::new().allow_list_formula(Formula::new(range));
        needs
            .add_data_validation(2, col(field), last, col(field), &dv)
            .map_err(x)?;
    }
    let dates = DataValidation::new()
        .allow_date(rust_xlsxwriter::DataValidationRule::GreaterThan(
            ExcelDateTime::from_ymd(2000, 1, 1).map_err(x)?,
        ))
        .set_error_message("Write a date, such as 2026-12-31.")
        .map_err(x)?;
    needs
        .add_data_validation(2, col(Field::NeededBy), last, col(Field::NeededBy), &dates)
        .map_err(x)?;
    needs.set_column_format(col(Field::NeededBy), &date).map_err(x)?;
    needs.set_active(true);

    let lists = wb.add_worksheet();
    lists.set_name("Lists").map_err(x)?;
    for (i, h) in [
        "Item code",
        "Item",
        "Unit",
        "Cluster",
        "DAC sector",
        "Units",
        "Priorities",
        "Statuses",
    ]
    .iter()
    .enumerate()
    {
        lists.write_string_with_format(0, col_u16(i), *h, &bold).map_err(x)?;
    }
    for (r, item) in items.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        lists.write_string(r, 0, item.code.as_str()).map_err(x)?;
        lists.write_string(r, 1, &item.name_en).map_err(x)?;
        lists.write_string(r, 2, &item.unit).map_err(x)?;
        lists.write_string(r, 3, &item.cluster).map_err(x)?;
        lists.write_string(r, 4, &item.dac_sector).map_err(x)?;
    }
    for (r, u) in units.iter().enumerate() {
        lists
            .write_string(u32::try_from(r + 1).unwrap_or(0), 5, *u)
            .map_err(x)?;
    }
    for (r, p) in Priority::ALL.iter().enumerate() {
        lists
            .write_string(u32::try_from(r + 1).unwrap_or(0), 6, p.as_str())
            .map_err(x)?;
    }
    for (r, s) in [NeedStatus::Submitted, NeedStatus::Draft].iter().enumerate() {
        lists
            .write_string(u32::try_from(r + 1).unwrap_or(0), 7, s.as_str())
            .map_err(x)?;
    }
    lists.set_column_width(1, 45).map_err(x)?;
    wb.save_to_buffer().map_err(x)
}
