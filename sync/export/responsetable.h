// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "exportoptions.h"
#include "exporttable.h"
#include "locationgrid.h"

#include "collectortypes.h"
#include "form/form.h"

#include <QHash>
#include <QList>
#include <QStringList>

#include <functional>
#include <memory>

namespace kerbside {

class FieldworkColumns;

/** The columns of one form's export and the conversion of a stored response into rows.
 *
 *  Wide layout: metadata, then one column per question of the union of the form's versions
 *  (the newest version's order, then questions only older versions had; notes left out,
 *  calculations kept), select_multiple as its text plus one 0/1 column per choice, and last
 *  `unmatched_answers` for answers to questions no known version has (never dropped).
 *  Long layout: one row per answer. Why a value is missing (not relevant, not answered,
 *  refused interview) is worked out from the response's own form version: relevance is
 *  evaluated by the core Interview, cached by the answers the rules read. */
class ResponseTable
{
public:
    // `versions`: every version of one form id; they must outlive the table.
    // `fieldwork` (optional, outliving the table) adds the quota, area and weight variables.
    // `repeat`: the table of that repeat group instead (one row per instance: parent_uuid,
    // _parent_index for a repeat inside a repeat, _index, then the repeat's own questions;
    // wide only). The response's table leaves the questions inside repeats out.
    ResponseTable(const QList<const Form *> &versions, const ExportOptions &options,
                  FieldworkColumns *fieldwork = nullptr, const QString &repeat = {});
    // The repeat groups of the versions (names, the newest version's order first).
    static QStringList repeatNames(const QList<const Form *> &versions);
    ~ResponseTable();
    ResponseTable(const ResponseTable &) = delete;
    ResponseTable &operator=(const ResponseTable &) = delete;

    QString formId() const { return m_formId; }
    // The table to write (wide, or long with ExportOptions::longLayout). Its columns may be
    // adjusted after a first pass (text widths, extra codes); rows follow the adjustment.
    ExportTable &table() { return m_table; }
    // Sensitive questions left out (empty with --include-sensitive).
    QStringList omittedSensitive() const { return m_omitted; }

    // Calls `onRow` once per row: once (wide) or once per answer (long).
    void rows(const StoredResponse &response, const std::function<void(const ExportRow &)> &onRow);

private:
    struct Slot;
    struct Version;

    void addMetaColumns();
    void addRepeatMetaColumns(const Form &newest);
    bool inScope(const Form &form, const Question &q) const;
    void repeatRows(const StoredResponse &r, const std::function<void(const ExportRow &)> &onRow);
    void markUnanswered(const StoredResponse &r, const Version *version,
                        const std::function<bool(int question)> &relevant, ExportRow *row);
    void addQuestionColumns(const QList<const Form *> &newestFirst);
    void addLongColumns();
    void wide(const StoredResponse &r, ExportRow *row);
    void longRows(const StoredResponse &r, const std::function<void(const ExportRow &)> &onRow);
    void fillMeta(const StoredResponse &r, ExportRow *row);
    void fillAnswer(const Slot &slot, const QString &value, ExportRow *row) const;
    const QList<bool> *relevance(Version &v, const StoredResponse &r);
    int slotOf(qsizetype position, const QString &question);

    QString m_formId;
    QString m_repeat;   // the repeat this table holds, "" for the response's table
    QString m_language; // of the labels
    ExportOptions m_options;
    FieldworkColumns *m_fieldwork = nullptr;
    LocationGrid m_grid;
    ExportTable m_table;
    QList<Slot> m_slots;
    QHash<QString, int> m_slotOf; // question name -> slot; -2 for sensitive ones left out
    QHash<QString, std::shared_ptr<Version>> m_versions;
    QStringList m_omitted;
    int m_metaColumns = 0;
    int m_unmatchedColumn = -1;
    qint64 m_receivedMs = 0; // the last received time formatted, and its text
    QByteArray m_receivedText;
    ExportRow m_row;         // reused between rows
    QList<bool> m_answered;  // by slot, reused
    // The slot of the question last seen at each answer position. The store hands out one
    // shared QString per name and position while it repeats (StringReuse), so the same data
    // pointer is the same name: no hash per answer. The copy keeps that data alive.
    struct SeenName
    {
        QString name;
        int slot = -1;
    };
    QList<SeenName> m_seen;
};

} // namespace kerbside
