// SPDX-License-Identifier: Apache-2.0
#include "xlsxreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QXmlStreamReader>

#include <zip.h>

#include <algorithm>
#include <cstdint>

namespace kerbside {

namespace {

// Attribute by local name, whatever its namespace prefix (r:id, or strict OOXML's own URI).
QString attribute(const QXmlStreamAttributes &attributes, QStringView localName)
{
    for (const QXmlStreamAttribute &a : attributes) {
        if (a.name() == localName)
            return a.value().toString();
    }
    return {};
}

QString attribute(const QXmlStreamReader &xml, QStringView localName)
{
    return attribute(xml.attributes(), localName);
}

QString xmlError(const QString &part, const QXmlStreamReader &xml)
{
    return QStringLiteral("%1 is not valid XML (line %2: %3)")
        .arg(part)
        .arg(xml.lineNumber())
        .arg(xml.errorString());
}

// Text of a string item (<si> or <is>): its <t> and rich-text runs <r><t>, without the
// phonetic guides <rPh> that Japanese workbooks carry. Leaves the reader at the end element.
QString readStringItem(QXmlStreamReader &xml)
{
    const QString end = xml.name().toString();
    QString text;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isEndElement() && xml.name() == end)
            break;
        if (!xml.isStartElement())
            continue;
        if (xml.name() == u"rPh")
            xml.skipCurrentElement();
        else if (xml.name() == u"t")
            text += xml.readElementText();
    }
    return text;
}

// Numbers as a spreadsheet shows them in General format: "12.0" -> "12"; anything else is kept
// as written so a version such as 44662.6850575292 keeps every digit.
QString numberText(const QString &raw)
{
    static const QRegularExpression wholeWithZeros(QStringLiteral("^(-?\\d+)\\.0+$"));
    const QRegularExpressionMatch m = wholeWithZeros.match(raw);
    return m.hasMatch() ? m.captured(1) : raw;
}

} // namespace

bool XlsxReader::open(const QString &path)
{
    reset(path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_error = QStringLiteral("cannot open %1: %2").arg(path, file.errorString());
        return false;
    }
    const QByteArray magic = file.read(8);
    file.close();
    if (!checkMagic(magic))
        return false;
    int zipError = 0;
    zip_t *zip = zip_open(QFile::encodeName(path).constData(), ZIP_RDONLY, &zipError);
    if (!zip) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zipError);
        notZip(QString::fromUtf8(zip_error_strerror(&ze)));
        zip_error_fini(&ze);
        return false;
    }
    return readArchive(zip);
}

bool XlsxReader::openData(const QByteArray &bytes, const QString &name)
{
    reset(name);
    if (!checkMagic(bytes.left(8)))
        return false;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *source = zip_source_buffer_create(bytes.constData(), zip_uint64_t(bytes.size()), 0, &ze);
    zip_t *zip = source ? zip_open_from_source(source, ZIP_RDONLY, &ze) : nullptr;
    if (!zip) {
        notZip(QString::fromUtf8(zip_error_strerror(&ze)));
        if (source)
            zip_source_free(source);
        zip_error_fini(&ze);
        return false;
    }
    zip_error_fini(&ze);
    return readArchive(zip);
}

void XlsxReader::reset(const QString &path)
{
    m_path = path;
    m_error.clear();
    m_sheetNames.clear();
    m_sheetParts.clear();
    m_sharedStrings.clear();
    m_parts.clear();
}

bool XlsxReader::checkMagic(const QByteArray &magic)
{
    if (magic.startsWith("\xD0\xCF\x11\xE0")) {
        m_error = QStringLiteral("%1 is an old binary Excel .xls file; save it as .xlsx (Excel "
                                 "Workbook) and import that")
                      .arg(QFileInfo(m_path).fileName());
        return false;
    }
    return true;
}

void XlsxReader::notZip(const QString &reason)
{
    m_error = QStringLiteral("%1 is not an .xlsx workbook (not a readable ZIP archive: %2)")
                  .arg(QFileInfo(m_path).fileName(), reason);
}

bool XlsxReader::readArchive(zip_t *zip)
{
    // Limits are checked twice: against the sizes the ZIP directory declares (a quick refusal)
    // and against the bytes actually inflated (the directory may lie).
    const QString file = QFileInfo(m_path).fileName();
    auto mib = [](qint64 bytes) { return QString::number(double(bytes) / (1024 * 1024), 'g', 4); };
    auto tooLarge = [&](const QString &name, qint64 limit) {
        m_error = QStringLiteral("%1: %2: decompresses to more than %3 MiB").arg(file, name, mib(limit));
    };
    auto tooCompressed = [&](const QString &name) {
        m_error = QStringLiteral("%1: %2: compressed more than %3 to 1, which no spreadsheet "
                                 "part is; refusing it as a ZIP bomb")
                      .arg(file, name)
                      .arg(m_limits.ratio);
    };
    // The ratio only counts once a part is large: tiny parts compress oddly.
    auto ratioExceeded = [this](qint64 inflated, qint64 compressed) {
        return inflated > m_limits.ratioFloorBytes
            && inflated / std::max<qint64>(compressed, 1) > m_limits.ratio;
    };
    qint64 total = 0;
    const zip_int64_t count = zip_get_num_entries(zip, 0);
    for (zip_int64_t i = 0; i < count && m_error.isEmpty(); ++i) {
        zip_stat_t st;
        if (zip_stat_index(zip, zip_uint64_t(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME))
            continue;
        const QString name = QString::fromUtf8(st.name);
        const QString lower = name.toLower();
        if (!lower.endsWith(QLatin1String(".xml")) && !lower.endsWith(QLatin1String(".rels")))
            continue; // images, printer settings, VBA: never needed
        const qint64 compressed = (st.valid & ZIP_STAT_COMP_SIZE) ? qint64(std::min<zip_uint64_t>(st.comp_size, INT64_MAX)) : 0;
        if (st.valid & ZIP_STAT_SIZE) {
            const qint64 declared = qint64(std::min<zip_uint64_t>(st.size, INT64_MAX));
            if (declared > m_limits.partBytes) {
                tooLarge(name, m_limits.partBytes);
                break;
            }
            if (declared > m_limits.totalBytes - total) {
                m_error = QStringLiteral("%1: %2: the workbook decompresses to more than %3 MiB in all")
                              .arg(file, name, mib(m_limits.totalBytes));
                break;
            }
            if ((st.valid & ZIP_STAT_COMP_SIZE) && ratioExceeded(declared, compressed)) {
                tooCompressed(name);
                break;
            }
        }
        zip_file_t *member = zip_fopen_index(zip, zip_uint64_t(i), 0);
        if (!member) {
            m_error = QStringLiteral("%1: cannot read %2: %3")
                          .arg(file, name, QString::fromUtf8(zip_strerror(zip)));
            break;
        }
        QByteArray data;
        char buffer[64 * 1024];
        for (;;) {
            const zip_int64_t n = zip_fread(member, buffer, sizeof buffer);
            if (n < 0) {
                m_error = QStringLiteral("%1: %2 is damaged: %3")
                              .arg(file, name, QString::fromUtf8(zip_file_strerror(member)));
                break;
            }
            if (n == 0)
                break;
            if (data.size() + n > m_limits.partBytes) {
                tooLarge(name, m_limits.partBytes);
                break;
            }
            if (total + data.size() + n > m_limits.totalBytes) {
                m_error = QStringLiteral("%1: %2: the workbook decompresses to more than %3 MiB in all")
                              .arg(file, name, mib(m_limits.totalBytes));
                break;
            }
            data.append(buffer, qsizetype(n));
            // libzip reads at most comp_size bytes of the archive for this member.
            if (ratioExceeded(data.size(), compressed)) {
                tooCompressed(name);
                break;
            }
        }
        zip_fclose(member);
        total += data.size();
        m_parts.insert(lower, data);
    }
    zip_discard(zip);
    if (!m_error.isEmpty())
        return false;

    // The workbook part is named by the package relationships; xl/workbook.xml by convention.
    QString workbookPart = QStringLiteral("xl/workbook.xml");
    QByteArray rootRels;
    if (readPart(QStringLiteral("_rels/.rels"), &rootRels, true) && !rootRels.isEmpty()) {
        QHash<QString, QString> targets, types;
        if (!parseRelationships(rootRels, QStringLiteral("_rels/.rels"), QString(), &targets, &types))
            return false;
        for (auto it = types.constBegin(); it != types.constEnd(); ++it) {
            if (it.value().endsWith(QLatin1String("/officeDocument")))
                workbookPart = targets.value(it.key());
        }
    }
    QByteArray workbook;
    if (!readPart(workbookPart, &workbook))
        return false;
    const QString baseDir = QFileInfo(workbookPart).path() == QLatin1String(".")
        ? QString()
        : QFileInfo(workbookPart).path() + QLatin1Char('/');
    const QString relsPart
        = baseDir + QStringLiteral("_rels/") + QFileInfo(workbookPart).fileName() + QStringLiteral(".rels");
    QByteArray rels;
    QHash<QString, QString> targets, types;
    if (!readPart(relsPart, &rels) || !parseRelationships(rels, relsPart, baseDir, &targets, &types))
        return false;

    QXmlStreamReader xml(workbook);
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == u"sheet") {
            const QString name = attribute(xml, u"name");
            const QString id = attribute(xml, u"id");
            if (!targets.contains(id)) {
                m_error
                    = QStringLiteral("%1: sheet '%2' has no part in %3").arg(workbookPart, name, relsPart);
                return false;
            }
            m_sheetNames.append(name);
            m_sheetParts.insert(name, targets.value(id));
        }
    }
    if (xml.hasError()) {
        m_error = xmlError(workbookPart, xml);
        return false;
    }

    for (auto it = types.constBegin(); it != types.constEnd(); ++it) {
        if (!it.value().endsWith(QLatin1String("/sharedStrings")))
            continue;
        QByteArray strings;
        if (!readPart(targets.value(it.key()), &strings)
            || !parseSharedStrings(strings, targets.value(it.key())))
            return false;
    }
    return true;
}

bool XlsxReader::readSheet(const QString &name, XlsxSheet *sheet)
{
    sheet->name = name;
    sheet->rows.clear();
    const QString part = m_sheetParts.value(name);
    QByteArray data;
    if (part.isEmpty() || !readPart(part, &data)) {
        if (m_error.isEmpty())
            m_error = QStringLiteral("the workbook has no sheet '%1'").arg(name);
        return false;
    }
    return parseSheet(data, part, sheet);
}

bool XlsxReader::readPart(const QString &partName, QByteArray *data, bool optional)
{
    auto it = m_parts.constFind(partName.toLower());
    if (it == m_parts.constEnd()) {
        if (!optional)
            m_error = QStringLiteral("%1 is not a complete .xlsx workbook: %2 is missing")
                          .arg(QFileInfo(m_path).fileName(), partName);
        return false;
    }
    *data = *it;
    return true;
}

bool XlsxReader::parseRelationships(const QByteArray &data, const QString &partName, const QString &baseDir,
                                    QHash<QString, QString> *targets, QHash<QString, QString> *types)
{
    QXmlStreamReader xml(data);
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement() || xml.name() != u"Relationship")
            continue;
        if (attribute(xml, u"TargetMode") == QLatin1String("External"))
            continue;
        QString target = attribute(xml, u"Target");
        // Targets are relative to the part's folder, or absolute within the package.
        target = target.startsWith(QLatin1Char('/')) ? target.mid(1) : baseDir + target;
        target = QDir::cleanPath(target);
        const QString id = attribute(xml, u"Id");
        targets->insert(id, target);
        types->insert(id, attribute(xml, u"Type"));
    }
    if (xml.hasError()) {
        m_error = xmlError(partName, xml);
        return false;
    }
    return true;
}

bool XlsxReader::parseSharedStrings(const QByteArray &data, const QString &partName)
{
    QXmlStreamReader xml(data);
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == u"si")
            m_sharedStrings.append(readStringItem(xml));
    }
    if (xml.hasError()) {
        m_error = xmlError(partName, xml);
        return false;
    }
    return true;
}

bool XlsxReader::parseSheet(const QByteArray &data, const QString &partName, XlsxSheet *sheet)
{
    // Excel's limits: 1,048,576 rows and 16,384 (XFD) columns.
    constexpr int kMaxRow = 1048576;
    constexpr int kMaxColumn = 16384;
    static const QRegularExpression cellRef(QStringLiteral("^\\$?([A-Za-z]{1,3})\\$?(\\d+)$"));

    QXmlStreamReader xml(data);
    int row = 0;
    int column = 0;
    bool inSheetData = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isEndElement() && xml.name() == u"sheetData")
            inSheetData = false;
        if (!xml.isStartElement())
            continue;
        if (xml.name() == u"sheetData") {
            inSheetData = true;
        } else if (inSheetData && xml.name() == u"row") {
            // r is optional: a row without it follows the previous one.
            bool ok = false;
            const int r = attribute(xml, u"r").toInt(&ok);
            row = ok ? r : row + 1;
            column = 0;
        } else if (inSheetData && xml.name() == u"c") {
            const QXmlStreamAttributes attributes = xml.attributes(); // a copy: take it once
            const QString ref = attribute(attributes, u"r");
            const QString type = attribute(attributes, u"t");
            if (const QRegularExpressionMatch m = cellRef.match(ref); m.hasMatch()) {
                column = XlsxSheet::columnNumber(m.captured(1));
                row = m.captured(2).toInt();
            } else {
                ++column; // no reference: the next cell of the row
            }
            if (row < 1 || row > kMaxRow || column < 1 || column > kMaxColumn) {
                m_error = QStringLiteral("%1: cell reference '%2' is outside the sheet").arg(partName, ref);
                return false;
            }
            QString value;
            QString inlineText;
            bool hasValue = false;
            bool hasInline = false;
            while (!xml.atEnd()) {
                xml.readNext();
                if (xml.isEndElement() && xml.name() == u"c")
                    break;
                if (!xml.isStartElement())
                    continue;
                if (xml.name() == u"v") {
                    value = xml.readElementText();
                    hasValue = true;
                } else if (xml.name() == u"is") {
                    inlineText = readStringItem(xml);
                    hasInline = true;
                } else {
                    xml.skipCurrentElement(); // <f> formulas, <extLst>
                }
            }
            QString text;
            if (type == u"inlineStr") {
                text = inlineText;
            } else if (type == u"s") {
                bool ok = false;
                const int index = value.trimmed().toInt(&ok);
                if (!ok || index < 0 || index >= m_sharedStrings.size()) {
                    m_error = QStringLiteral("%1: cell %2 refers to shared string %3, which does not exist")
                                  .arg(partName, ref, value);
                    return false;
                }
                text = m_sharedStrings.at(index);
            } else if (type == u"b") {
                if (hasValue)
                    text = value.trimmed() == u"1" ? QStringLiteral("TRUE") : QStringLiteral("FALSE");
            } else if (type == u"str" || type == u"e" || type == u"d") {
                text = value; // formula result, error (#N/A) or ISO date: as cached
            } else if (hasValue) {
                text = numberText(value.trimmed());
            } else if (hasInline) {
                text = inlineText; // an inline string without t="inlineStr"
            }
            if (!text.isEmpty())
                sheet->rows[row].insert(column, text);
        }
    }
    if (xml.hasError()) {
        m_error = xmlError(partName, xml);
        return false;
    }
    return true;
}

} // namespace kerbside
