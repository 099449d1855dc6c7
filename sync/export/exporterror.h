// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <stdexcept>

namespace kerbside {

/** An export that cannot be done; the message says what and where (file, variable, option).
 *  dataChanged(): the data changed between the two passes (a merge landed meanwhile); the
 *  export can simply be run again. */
class ExportError : public std::runtime_error
{
public:
    explicit ExportError(const QString &message, bool dataChanged = false)
        : std::runtime_error(message.toStdString()), m_dataChanged(dataChanged) {}
    QString message() const { return QString::fromUtf8(what()); }
    bool dataChanged() const { return m_dataChanged; }

private:
    bool m_dataChanged;
};

} // namespace kerbside
