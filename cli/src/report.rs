//! A sweep's results as a table for people, CSV or JSON for tools: one row
//! per seed, in seed order, then the summary of each measure. Nothing in a
//! report depends on timing or on how many cores ran it.

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use crate::stats::{Summary, summarise};

/// One number measured in every run.
pub struct Measure {
    /// Its column in CSV and its key in JSON, unit included: `downtime_ms`.
    pub key: &'static str,
    /// Its column in the table: `downtime (ms)`.
    pub title: &'static str,
    /// Decimals shown in the table (CSV and JSON keep every digit).
    pub decimals: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns, for people.
    Table,
    /// Comma-separated: the rows, an empty line, then the summary.
    Csv,
    /// One object: settings, rows and summary.
    Json,
}

/// Which part of the report to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Only {
    Rows,
    Summary,
}

pub struct Report<'a> {
    /// "Raft, a leader crash".
    pub title: String,
    /// The settings in words.
    pub settings: String,
    pub measures: &'a [Measure],
    /// (seed, one value per measure); `None` where a run had none.
    pub rows: Vec<(u64, Vec<Option<f64>>)>,
}

impl Report<'_> {
    fn summaries(&self) -> Vec<Summary> {
        (0..self.measures.len())
            .map(|i| summarise(self.rows.iter().map(|(_, values)| values[i])))
            .collect()
    }

    pub fn write(&self, format: Format, only: Option<Only>, out: &mut dyn Write) -> io::Result<()> {
        let (rows, summary) = (only != Some(Only::Summary), only != Some(Only::Rows));
        match format {
            Format::Table => self.table(rows, summary, out),
            Format::Csv => self.csv(rows, summary, out),
            Format::Json => self.json(rows, summary, out),
        }
    }

    fn table(&self, rows: bool, summary: bool, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "{}: {}.", self.title, self.settings)?;
        if rows {
            let widths: Vec<usize> =
                self.measures.iter().map(|m| m.title.chars().count()).collect();
            let seed_w =
                self.rows.iter().map(|(s, _)| s.to_string().len()).max().unwrap_or(0).max(4);
            writeln!(out)?;
            let mut header = format!("{:>seed_w$}", "seed");
            for (m, w) in self.measures.iter().zip(&widths) {
                header.push_str(&format!("  {:>w$}", m.title));
            }
            writeln!(out, "{header}")?;
            for (seed, values) in &self.rows {
                let mut line = format!("{seed:>seed_w$}");
                for ((m, w), v) in self.measures.iter().zip(&widths).zip(values) {
                    line.push_str(&format!("  {:>w$}", shown(*v, m.decimals)));
                }
                writeln!(out, "{line}")?;
            }
        }
        if summary {
            let summaries = self.summaries();
            let name_w = self.measures.iter().map(|m| m.title.chars().count()).max().unwrap_or(0);
            let cells: Vec<Vec<String>> = self
                .measures
                .iter()
                .zip(&summaries)
                .map(|(m, s)| {
                    let d = m.decimals;
                    let mut count = s.count.to_string();
                    if s.missing > 0 {
                        count.push_str(&format!(" (+{} none)", s.missing));
                    }
                    vec![
                        count,
                        shown(s.mean, d + 1),
                        shown(s.median, d),
                        shown(s.p90, d),
                        shown(s.p99, d),
                        shown(s.max, d),
                    ]
                })
                .collect();
            let heads = ["count", "mean", "median", "p90", "p99", "max"];
            let widths: Vec<usize> = (0..heads.len())
                .map(|c| {
                    cells
                        .iter()
                        .map(|r| r[c].chars().count())
                        .chain([heads[c].len()])
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            writeln!(out)?;
            let mut line = format!("{:name_w$}", "");
            for (h, w) in heads.iter().zip(&widths) {
                line.push_str(&format!("  {h:>w$}"));
            }
            writeln!(out, "{line}")?;
            for (m, row) in self.measures.iter().zip(&cells) {
                let pad = name_w - m.title.chars().count();
                let mut line = format!("{}{}", m.title, " ".repeat(pad));
                for (cell, w) in row.iter().zip(&widths) {
                    line.push_str(&format!("  {cell:>w$}"));
                }
                writeln!(out, "{line}")?;
            }
        }
        Ok(())
    }

    fn csv(&self, rows: bool, summary: bool, out: &mut dyn Write) -> io::Result<()> {
        if rows {
            let keys: Vec<&str> = self.measures.iter().map(|m| m.key).collect();
            writeln!(out, "seed,{}", keys.join(","))?;
            for (seed, values) in &self.rows {
                let cells: Vec<String> =
                    values.iter().map(|v| v.map_or(String::new(), |v| v.to_string())).collect();
                writeln!(out, "{seed},{}", cells.join(","))?;
            }
        }
        if rows && summary {
            writeln!(out)?;
        }
        if summary {
            writeln!(out, "measure,count,missing,mean,median,p90,p99,max")?;
            for (m, s) in self.measures.iter().zip(self.summaries()) {
                let cell = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
                writeln!(
                    out,
                    "{},{},{},{},{},{},{},{}",
                    m.key,
                    s.count,
                    s.missing,
                    cell(s.mean),
                    cell(s.median),
                    cell(s.p90),
                    cell(s.p99),
                    cell(s.max)
                )?;
            }
        }
        Ok(())
    }

    fn json(&self, rows: bool, summary: bool, out: &mut dyn Write) -> io::Result<()> {
        let mut object = Map::new();
        object.insert("experiment".into(), json!(self.title));
        object.insert("settings".into(), json!(self.settings));
        if rows {
            let rows: Vec<Value> = self
                .rows
                .iter()
                .map(|(seed, values)| {
                    let mut row = Map::new();
                    row.insert("seed".into(), json!(seed));
                    for (m, v) in self.measures.iter().zip(values) {
                        row.insert(m.key.into(), json!(v));
                    }
                    Value::Object(row)
                })
                .collect();
            object.insert("rows".into(), Value::Array(rows));
        }
        if summary {
            let mut all = Map::new();
            for (m, s) in self.measures.iter().zip(self.summaries()) {
                all.insert(m.key.into(), serde_json::to_value(s).map_err(io::Error::other)?);
            }
            object.insert("summary".into(), Value::Object(all));
        }
        serde_json::to_writer_pretty(&mut *out, &Value::Object(object))
            .map_err(io::Error::other)?;
        writeln!(out)
    }
}

/// A value with `decimals` decimals, or a dash where there is none.
fn shown(v: Option<f64>, decimals: usize) -> String {
    v.map_or("—".into(), |v| format!("{v:.decimals$}"))
}
