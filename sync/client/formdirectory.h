// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "form/form.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>
#include <vector>

namespace kerbside {

/** The tablet's forms folder, keyed by form id + version. Downloaded versions are saved as
 *  <id>@<version>.json beside whatever was installed by hand. A version on disk is never
 *  overwritten or deleted, so an interview started on it always finds it again. */
class FormDirectory
{
public:
    explicit FormDirectory(const QString &dir);
    ~FormDirectory();

    QString dir() const { return m_dir; }
    static QString fileName(const QString &formId, const QString &version);
    // Ids and versions that are safe as file name parts (no path tricks from a collector).
    static bool isSafeName(const QString &part);

    // Every form in the folder that loads without problems (files with problems are skipped).
    const std::vector<std::unique_ptr<Form>> &forms();
    const Form *find(const QString &formId, const QString &version);
    bool has(const QString &formId, const QString &version) { return find(formId, version) != nullptr; }

    // Saves a downloaded version. Returns an empty string when saved (or already held with the
    // same content), else why not: checksum mismatch, problems in the form, id/version not
    // matching the manifest, or another file with this id and version already there.
    QString save(const QString &formId, const QString &version, const QByteArray &json,
                 const QByteArray &sha256);

private:
    void scan();

    QString m_dir;
    bool m_scanned = false;
    std::vector<std::unique_ptr<Form>> m_forms;
};

} // namespace kerbside
