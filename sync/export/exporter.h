// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "exportoptions.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace kerbside {

class CollectorStore;

/** One file an export wrote. */
struct ExportedFile
{
    QString name; // relative to the output folder
    qint64 rows = -1; // data rows; -1 for documents (codebook, manifest)
    qint64 bytes = 0;
    QByteArray sha256Hex;
};

struct ExportResult
{
    QList<ExportedFile> files;
    qint64 responses = 0; // exported
    qint64 contacts = 0;
    QStringList warnings;
};

/** Runs `kerbside export`: streams the chosen responses and contacts out of a CollectorStore
 *  into CSV / SPSS / Stata / JSON Lines files, a codebook, contacts, summary.csv and a manifest.
 *
 *  Deterministic: rows in store order (case study, then UUID), no export time in any file but
 *  manifest.json. Atomic: everything is written into a staging folder inside the target and
 *  each finished file renamed into place; a failure leaves the target as it was. Streaming:
 *  rows are never held; .sav/.dta take a first pass to count rows and measure text widths. */
class Exporter
{
public:
    Exporter(CollectorStore &store, const ExportOptions &options);

    // Throws ExportError (bad option, unknown case study, unwritable target, failed write) and
    // CollectorError (the store failed).
    ExportResult run();

    // Called with (phase, rows done) every 10,000 rows; for progress on the command line.
    void setProgress(std::function<void(const QString &, qint64)> progress) { m_progress = std::move(progress); }

private:
    ExportResult attempt();

    CollectorStore &m_store;
    ExportOptions m_options;
    std::function<void(const QString &, qint64)> m_progress;
};

} // namespace kerbside
