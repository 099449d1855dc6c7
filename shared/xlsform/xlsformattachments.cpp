// SPDX-License-Identifier: Apache-2.0
#include "xlsformattachments.h"

#include "choicefile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace kerbside {

void XlsFormAttachments::addFile(const QString &path)
{
    m_files.insert(QFileInfo(path).fileName(), path);
}

void XlsFormAttachments::addFolder(const QString &folder)
{
    if (!m_folders.contains(folder))
        m_folders.append(folder);
}

void XlsFormAttachments::addFoldersBeside(const QString &workbookPath)
{
    const QFileInfo info(workbookPath);
    addFolder(info.absolutePath());
    addFolder(info.dir().filePath(info.completeBaseName() + QStringLiteral("-media")));
}

bool XlsFormAttachments::read(const QString &name, QByteArray *bytes, QString *error, bool *notFound)
{
    if (notFound)
        *notFound = false;
    if (name.isEmpty() || name.contains(QLatin1Char('/')) || name.contains(QLatin1Char('\\'))
        || name == u"." || name == u"..") {
        *error = QStringLiteral("'%1' is not a plain file name").arg(name);
        return false;
    }
    QString path = m_files.value(name);
    for (qsizetype i = 0; path.isEmpty() && i < m_folders.size(); ++i) {
        const QString candidate = QDir(m_folders[i]).filePath(name);
        if (QFileInfo(candidate).isFile())
            path = candidate;
    }
    if (path.isEmpty()) {
        QStringList places;
        for (const QString &f : m_folders)
            places << QDir::toNativeSeparators(f);
        *error = QStringLiteral("the attachment '%1' was not found: give it with --attachment %1%2")
                     .arg(name,
                          places.isEmpty() ? QString()
                                           : QStringLiteral(" or put it in %1").arg(places.join(QStringLiteral(" or "))));
        if (notFound)
            *notFound = true;
        return false;
    }
    m_used.insert(name);
    QFile f(path);
    if (!QFileInfo(path).isFile() || !f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the attachment %1: %2").arg(path, f.errorString());
        return false;
    }
    // Read one byte past the limit, so a larger file is refused without reading all of it.
    *bytes = f.read(ChoiceFile::kMaxBytes + 1);
    if (bytes->size() > ChoiceFile::kMaxBytes) {
        *error = QStringLiteral("the attachment %1 is larger than %2 MiB").arg(name).arg(ChoiceFile::kMaxBytes / (1024 * 1024));
        bytes->clear();
        return false;
    }
    return true;
}

QStringList XlsFormAttachments::unused() const
{
    QStringList names;
    for (auto it = m_files.constBegin(); it != m_files.constEnd(); ++it) {
        if (!m_used.contains(it.key()))
            names << it.key();
    }
    names.sort();
    return names;
}

} // namespace kerbside
