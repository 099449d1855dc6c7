// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDir>
#include <QString>

namespace kerbside::test {

inline QString sourcePath(const QString &relative)
{
    return QDir(QStringLiteral(KERBSIDE_SOURCE_DIR)).filePath(relative);
}

inline QString binaryPath(const QString &relative)
{
    return QDir(QStringLiteral(KERBSIDE_BINARY_DIR)).filePath(relative);
}

// ../shared/ beside the repository (context, XLSForms); may be absent in a user's clone.
// KERBSIDE_BESIDE_DIR overrides it (a git worktree's ../shared is not the main clone's).
inline QString besideRepoPath(const QString &relative)
{
    const QString dir = qEnvironmentVariable("KERBSIDE_BESIDE_DIR");
    return QDir(dir.isEmpty() ? QStringLiteral(KERBSIDE_SOURCE_DIR "/../shared") : dir).filePath(relative);
}

} // namespace kerbside::test
