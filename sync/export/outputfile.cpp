// SPDX-License-Identifier: Apache-2.0
#include "outputfile.h"

#include "exporterror.h"

#include <openssl/evp.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kerbside {

OutputFile::OutputFile(const QString &path) : m_path(path)
{
    // A new file only (O_EXCL), never through a symlink (O_NOFOLLOW): files are written in the
    // export's own fresh staging folder and moved into place with renameat().
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        throw ExportError(QStringLiteral("cannot create %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    // Unbuffered: this class buffers already; QFile's own buffer would copy each MiB once more.
    if (!m_file.open(fd, QIODevice::WriteOnly | QIODevice::Unbuffered, QFileDevice::AutoCloseHandle)) {
        ::close(fd);
        throw ExportError(QStringLiteral("cannot create %1: %2").arg(path, m_file.errorString()));
    }
    m_buffer.reserve(kFlushBytes + 4096);
    m_hash = EVP_MD_CTX_new();
    if (!m_hash || EVP_DigestInit_ex(m_hash, EVP_sha256(), nullptr) != 1) {
        EVP_MD_CTX_free(m_hash); // the destructor does not run for a throwing constructor
        throw ExportError(QStringLiteral("cannot start the SHA-256 of %1").arg(path));
    }
}

OutputFile::~OutputFile()
{
    EVP_MD_CTX_free(m_hash); // an unclosed file is removed with the staging folder
}

void OutputFile::flush()
{
    if (m_buffer.isEmpty())
        return;
    if (EVP_DigestUpdate(m_hash, m_buffer.constData(), size_t(m_buffer.size())) != 1)
        throw ExportError(QStringLiteral("cannot compute the SHA-256 of %1").arg(m_path));
    if (m_file.write(m_buffer) != m_buffer.size())
        throw ExportError(QStringLiteral("cannot write %1: %2").arg(m_path, m_file.errorString()));
    m_written += m_buffer.size();
    m_buffer.resize(0); // keeps the allocation (clear() would free it and the next rows regrow it)
}

void OutputFile::close()
{
    if (!m_file.isOpen())
        return;
    flush();
    if (!m_file.flush() || ::fsync(m_file.handle()) != 0)
        throw ExportError(QStringLiteral("cannot write %1: %2").arg(m_path, m_file.errorString()));
    m_file.close();
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(m_hash, digest, &size) != 1)
        throw ExportError(QStringLiteral("cannot compute the SHA-256 of %1").arg(m_path));
    m_sha256 = QByteArray(reinterpret_cast<const char *>(digest), qsizetype(size)).toHex();
}

} // namespace kerbside
