// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace kerbside {

/** The type cell of one survey row, classified as pyxform reads it (case-insensitive, with its
 *  aliases: `select one from L`, `select all that apply from L`, `begin_group`, `dateTime`, ...):
 *  a Kerbside question type, a group or repeat marker, metadata, or something Kerbside cannot ask. */
struct XlsFormType
{
    enum class Kind {
        Question, // `type` (and `list`/`orOther` for selects; `list` empty when none was given)
        Acknowledge, // XLSForm acknowledge: stores "OK"
        BeginGroup,
        EndGroup,
        BeginRepeat,
        EndRepeat,
        Metadata, // start, end, today, deviceid, ...: recorded by Kerbside itself
        FromFile, // select_one_from_file FILE and friends: `type` select_one/_multiple, `list` the file
        Media, // image, audio, video, file: not supported yet
        Range, // range: a number between the parameters' start and end
        Unsupported, // an XLSForm type Kerbside has no editor for (image, barcode, range, ...)
        Unknown,
    };
    Kind kind = Kind::Unknown;
    QString text; // the cell, whitespace collapsed, as written
    QString type; // Question: "text", "integer", "select_one", ...
    QString list; // selects: the choice list
    bool orOther = false;
    bool external = false; // select_one_external: the list is in the external_choices sheet
    QString keyword; // selects: the type word as written ("select_one"), for messages
    QString metadataExpression; // Metadata, hidden: a calculation that stands in for the value
    QString presetConstraint; // pyxform's "percentage", "phone number", ...: their constraint

    static XlsFormType parse(const QString &cell);
    // Answered from a choice list (rank too: the list's choices in order).
    bool isSelect() const { return type == u"select_one" || type == u"select_multiple" || type == u"rank"; }
};

} // namespace kerbside
