// SPDX-License-Identifier: Apache-2.0
#include "preferences.h"

#include "settingkeys.h"
#include "storeservice.h"
#include "themepalette.h"
#include "uistrings.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

#include <array>

namespace kerbside {

namespace keys = settingkeys;

namespace {
// Body text scale per step; the largest keeps every screen usable (checked by the screenshot test).
constexpr std::array<double, Preferences::kTextSizes> kScales{0.9, 1.0, 1.25, 1.5};
} // namespace

Preferences::Preferences(StoreService *store, QObject *parent) : QObject(parent), m_store(store)
{
    m_textSize = qBound(0, m_store->setting(keys::textSize, QStringLiteral("1")).toInt(), kTextSizes - 1);
    // Stored as "0" normal, "1" dark (the only high contrast before "light"), "2" light.
    const QString contrast = m_store->setting(keys::highContrast);
    m_theme = contrast == QLatin1String("1") ? QStringLiteral("dark")
            : contrast == QLatin1String("2") ? QStringLiteral("light") : QStringLiteral("normal");
    m_uiLanguage = m_store->setting(keys::uiLanguage, QStringLiteral("en"));
    if (!uiLanguages().contains(m_uiLanguage))
        m_uiLanguage = QStringLiteral("en");
    m_tr = UiStrings::table(m_uiLanguage);
    m_deviceId = m_store->setting(keys::deviceId);
    if (m_deviceId.isEmpty()) {
        m_deviceId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        m_store->setSetting(keys::deviceId, m_deviceId);
    }
    const QJsonArray list = QJsonDocument::fromJson(m_store->setting(keys::caseStudies).toUtf8()).array();
    m_caseStudies = list.toVariantList();
    m_caseStudy = m_store->setting(keys::currentCaseStudy);
}

void Preferences::setTextSize(int size)
{
    size = qBound(0, size, kTextSizes - 1);
    if (size == m_textSize)
        return;
    m_textSize = size;
    m_store->setSetting(keys::textSize, QString::number(size));
    emit textSizeChanged();
}

double Preferences::textScale() const
{
    return kScales[size_t(m_textSize)];
}

void Preferences::setHighContrast(bool on)
{
    if (on != highContrast())
        setTheme(on ? QStringLiteral("dark") : QStringLiteral("normal"));
}

void Preferences::setTheme(const QString &theme)
{
    const qsizetype code = ThemePalette::themes().indexOf(theme);
    if (code < 0 || theme == m_theme)
        return;
    m_theme = theme;
    m_store->setSetting(keys::highContrast, QString::number(code));
    emit highContrastChanged();
}

QVariantMap Preferences::palette() const
{
    return ThemePalette::forTheme(m_theme).toMap();
}

void Preferences::setUiLanguage(const QString &language)
{
    if (language == m_uiLanguage || !uiLanguages().contains(language))
        return;
    m_uiLanguage = language;
    m_tr = UiStrings::table(language);
    m_store->setSetting(keys::uiLanguage, language);
    emit uiLanguageChanged();
}

QStringList Preferences::uiLanguages() const
{
    return UiStrings::languages();
}

QString Preferences::text(const QString &id) const
{
    return m_tr.value(id, id).toString();
}

QString Preferences::enumerator() const
{
    return m_store->setting(keys::enumerator);
}

void Preferences::setEnumerator(const QString &name)
{
    if (name.trimmed() == enumerator())
        return;
    m_store->setSetting(keys::enumerator, name.trimmed());
    emit identityChanged();
}

QString Preferences::deviceName() const
{
    return m_store->setting(keys::deviceName);
}

void Preferences::setDeviceName(const QString &name)
{
    if (name.trimmed() == deviceName())
        return;
    m_store->setSetting(keys::deviceName, name.trimmed());
    emit identityChanged();
}

QString Preferences::collectorUrl() const
{
    return m_store->setting(keys::collectorUrl);
}

void Preferences::setCollectorUrl(const QString &url)
{
    if (url.trimmed() == collectorUrl())
        return;
    m_store->setSetting(keys::collectorUrl, url.trimmed());
    emit identityChanged();
}

bool Preferences::offlineOnly() const
{
    return m_store->setting(keys::offlineOnly, QStringLiteral("1")) == QLatin1String("1");
}

void Preferences::setOfflineOnly(bool on)
{
    if (on == offlineOnly())
        return;
    m_store->setSetting(keys::offlineOnly, on ? QStringLiteral("1") : QStringLiteral("0"));
    emit identityChanged();
}

bool Preferences::firstRunDone() const
{
    return m_store->setting(keys::firstRunDone) == QLatin1String("1");
}

void Preferences::markFirstRunDone()
{
    if (firstRunDone())
        return;
    m_store->setSetting(keys::firstRunDone, QStringLiteral("1"));
    emit firstRunDoneChanged();
}

void Preferences::setCaseStudy(const QString &id)
{
    if (id == m_caseStudy)
        return;
    m_caseStudy = id;
    m_store->setSetting(keys::currentCaseStudy, id);
    emit caseStudyChanged();
}

QString Preferences::caseStudyName() const
{
    for (const QVariant &v : m_caseStudies) {
        const QVariantMap m = v.toMap();
        if (m.value(QStringLiteral("id")).toString() == m_caseStudy)
            return m.value(QStringLiteral("name")).toString();
    }
    return m_caseStudy;
}

void Preferences::setCaseStudyList(const QVariantList &list)
{
    m_caseStudies = list;
    m_store->setSetting(keys::caseStudies,
                        QString::fromUtf8(QJsonDocument(QJsonArray::fromVariantList(list))
                                              .toJson(QJsonDocument::Compact)));
    emit caseStudiesChanged();
    if (m_caseStudy.isEmpty() && !list.isEmpty())
        setCaseStudy(list.first().toMap().value(QStringLiteral("id")).toString());
    else
        emit caseStudyChanged(); // the name may have changed
}

void Preferences::addDemoCaseStudies(bool force)
{
    if (!m_caseStudies.isEmpty() && !force)
        return;
    // The founding case: six neighbourhoods. Later these come from the collector's form manifest.
    static const char *const names[] = {"Riverside", "Hulme", "Moss Side", "Ancoats", "Levenshulme", "Gorton"};
    QVariantList list = m_caseStudies;
    int n = 0;
    for (const char *name : names) {
        ++n;
        const QString id = QStringLiteral("cs%1").arg(n);
        bool present = false;
        for (const QVariant &v : std::as_const(list))
            present = present || v.toMap().value(QStringLiteral("id")).toString() == id;
        if (present)
            continue;
        list << QVariantMap{{QStringLiteral("id"), id},
                            {QStringLiteral("name"),
                             QStringLiteral("Case study %1 – %2").arg(n).arg(QLatin1String(name))}};
    }
    setCaseStudyList(list);
}

void Preferences::addCaseStudies(const QStringList &ids)
{
    QVariantList list = m_caseStudies;
    for (const QString &id : ids) {
        bool present = false;
        for (const QVariant &v : std::as_const(list))
            present = present || v.toMap().value(QStringLiteral("id")).toString() == id;
        if (!present)
            list << QVariantMap{{QStringLiteral("id"), id}, {QStringLiteral("name"), id}};
    }
    if (list != m_caseStudies)
        setCaseStudyList(list);
}

void Preferences::reloadEnrolment()
{
    const QString id = m_store->setting(keys::deviceId);
    if (!id.isEmpty() && id != m_deviceId) {
        m_deviceId = id;
        emit identityChanged();
    }
    const QVariantList list =
        QJsonDocument::fromJson(m_store->setting(keys::caseStudies).toUtf8()).array().toVariantList();
    m_caseStudies = list;
    emit caseStudiesChanged();
    bool present = false;
    for (const QVariant &v : list)
        present = present || v.toMap().value(QStringLiteral("id")).toString() == m_caseStudy;
    if (!present && !list.isEmpty())
        setCaseStudy(list.first().toMap().value(QStringLiteral("id")).toString());
    else
        emit caseStudyChanged();
}

} // namespace kerbside
