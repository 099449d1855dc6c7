// SPDX-License-Identifier: Apache-2.0
#include "outputfile.h"

#include "exporterror.h"

#include <unistd.h>

namespace kerbside {

OutputFile::OutputFile(const QString &path) : m_file(path)
{
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        throw ExportError(QStringLiteral("cannot create %1: %2").arg(path, m_file.errorString()));
    m_buffer.reserve(kFlushBytes + 4096);
}

OutputFile::~OutputFile() = default; // an unclosed file is removed with the staging folder

void OutputFile::flush()
{
    if (m_buffer.isEmpty())
        return;
    m_hash.addData(m_buffer);
    if (m_file.write(m_buffer) != m_buffer.size())
        throw ExportError(QStringLiteral("cannot write %1: %2").arg(m_file.fileName(), m_file.errorString()));
    m_written += m_buffer.size();
    m_buffer.clear();
}

void OutputFile::close()
{
    if (!m_file.isOpen())
        return;
    flush();
    if (!m_file.flush() || ::fsync(m_file.handle()) != 0)
        throw ExportError(QStringLiteral("cannot write %1: %2").arg(m_file.fileName(), m_file.errorString()));
    m_file.close();
    m_sha256 = m_hash.result().toHex();
}

} // namespace kerbside
