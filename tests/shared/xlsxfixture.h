// SPDX-License-Identifier: Apache-2.0
// Writes small real .xlsx workbooks for the XLSForm tests with libxlsxwriter (as Excel would:
// shared strings by default, inline strings in constant-memory mode).
#pragma once

#include <QString>

#include <xlsxwriter.h>

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace kerbside::test {

/** One cell to write: text, a number, a boolean, or nothing. */
struct Cell
{
    enum class Kind { Empty, Text, Number, Boolean, Rich };
    Kind kind = Kind::Empty;
    std::string text;
    double number = 0;
    bool boolean = false;
    std::vector<std::string> runs; // rich text: fragments, every other one bold

    Cell() = default;
    Cell(const char *s) : kind(s ? Kind::Text : Kind::Empty), text(s ? s : "") { }
    Cell(double d) : kind(Kind::Number), number(d) { }
    Cell(int i) : kind(Kind::Number), number(i) { }
    Cell(bool b) : kind(Kind::Boolean), boolean(b) { }
    static Cell rich(std::vector<std::string> fragments)
    {
        Cell c;
        c.kind = Kind::Rich;
        c.runs = std::move(fragments);
        return c;
    }
};

using Rows = std::vector<std::vector<Cell>>;

/** A workbook being written; sheets are written in the order they are added. */
class XlsxFixture
{
public:
    explicit XlsxFixture(const QString &path, bool inlineStrings = false)
    {
        const std::string p = path.toStdString();
        lxw_workbook_options options {};
        options.constant_memory = inlineStrings ? LXW_TRUE : LXW_FALSE;
        m_workbook = workbook_new_opt(p.c_str(), &options);
        m_bold = workbook_add_format(m_workbook);
        format_set_bold(m_bold);
    }
    ~XlsxFixture() { close(); }
    XlsxFixture(const XlsxFixture &) = delete;
    XlsxFixture &operator=(const XlsxFixture &) = delete;

    // Row 0 of `rows` is spreadsheet row 1; cell 0 is column A.
    XlsxFixture &sheet(const char *name, const Rows &rows)
    {
        lxw_worksheet *ws = workbook_add_worksheet(m_workbook, name);
        for (size_t r = 0; r < rows.size(); ++r) {
            for (size_t c = 0; c < rows[r].size(); ++c)
                write(ws, lxw_row_t(r), lxw_col_t(c), rows[r][c]);
        }
        return *this;
    }

    // Writes the file; true on success.
    bool close()
    {
        if (!m_workbook)
            return m_ok;
        m_ok = workbook_close(m_workbook) == LXW_NO_ERROR;
        m_workbook = nullptr;
        return m_ok;
    }

private:
    void write(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const Cell &cell)
    {
        switch (cell.kind) {
        case Cell::Kind::Empty:
            break;
        case Cell::Kind::Text:
            worksheet_write_string(ws, r, c, cell.text.c_str(), nullptr);
            break;
        case Cell::Kind::Number:
            worksheet_write_number(ws, r, c, cell.number, nullptr);
            break;
        case Cell::Kind::Boolean:
            worksheet_write_boolean(ws, r, c, cell.boolean ? 1 : 0, nullptr);
            break;
        case Cell::Kind::Rich: {
            std::vector<lxw_rich_string_tuple> tuples(cell.runs.size());
            std::vector<lxw_rich_string_tuple *> pointers;
            for (size_t i = 0; i < cell.runs.size(); ++i) {
                tuples[i].format = i % 2 ? m_bold : nullptr;
                tuples[i].string = const_cast<char *>(cell.runs[i].c_str());
                pointers.push_back(&tuples[i]);
            }
            pointers.push_back(nullptr);
            worksheet_write_rich_string(ws, r, c, pointers.data(), nullptr);
            break;
        }
        }
    }

    lxw_workbook *m_workbook = nullptr;
    lxw_format *m_bold = nullptr;
    bool m_ok = false;
};

} // namespace kerbside::test
