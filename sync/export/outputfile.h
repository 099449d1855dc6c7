// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

struct evp_md_ctx_st;

namespace kerbside {

/** A file being written in the export's staging folder: buffered (exports write millions of
 *  small fields), hashed as it goes (for the manifest), every failure an ExportError naming
 *  the file. */
class OutputFile
{
public:
    explicit OutputFile(const QString &path);
    ~OutputFile();
    OutputFile(const OutputFile &) = delete;
    OutputFile &operator=(const OutputFile &) = delete;

    void write(const char *data, qsizetype size)
    {
        m_buffer.append(data, size);
        if (m_buffer.size() >= kFlushBytes)
            flush();
    }
    void write(const QByteArray &bytes) { write(bytes.constData(), bytes.size()); }
    void write(char c)
    {
        m_buffer.append(c);
        if (m_buffer.size() >= kFlushBytes)
            flush();
    }
    // Flushes, syncs to disk and closes. Throws ExportError.
    void close();

    QString path() const { return m_path; }
    qint64 bytesWritten() const { return m_written + m_buffer.size(); }
    QByteArray sha256Hex() const { return m_sha256; } // after close()

private:
    static constexpr qsizetype kFlushBytes = 1 << 20; // 1 MiB per write(2)
    void flush();

    QString m_path;
    QFile m_file;
    QByteArray m_buffer;
    // OpenSSL's SHA-256 (SHA-NI where the CPU has it): QCryptographicHash's portable code took
    // a sixth of a CSV export's time.
    evp_md_ctx_st *m_hash = nullptr;
    qint64 m_written = 0;
    QByteArray m_sha256;
};

} // namespace kerbside
