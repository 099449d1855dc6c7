// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QSet>
#include <QString>

namespace kerbside {

/** Makes variable names valid and unique for one statistical format. SPSS: up to 64 bytes,
 *  letters, digits, '_' and '.', starting with a letter, not a reserved word, unique ignoring
 *  case. Stata: up to 32 characters, letters, digits and '_', starting with a letter or '_',
 *  not a reserved word. A name that has to change gets '_' for bad characters, a "v_" prefix
 *  when it does not start with a letter and "_2", "_3", ... when taken; the codebook records it. */
class VariableNamer
{
public:
    enum class Format { Spss, Stata };
    explicit VariableNamer(Format format) : m_format(format) {}

    QString add(const QString &wanted); // the name to use; remembered as taken

private:
    QString clean(const QString &wanted) const;
    bool reserved(const QString &name) const;
    int maxLength() const { return m_format == Format::Spss ? 64 : 32; }

    Format m_format;
    QSet<QString> m_taken; // lower case
};

} // namespace kerbside
