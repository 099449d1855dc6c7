// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QVariantList>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace kerbside {

class StoreService;

/** Who and where: the enumerator, the device, the case studies and the one chosen, plus the
 *  interface preferences (text size, high contrast, interface language and its text table).
 *  Kept in the device store's settings so they survive restarts and reach the sync client. */
class Preferences : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Preferences are built in main() and handed to the screens")
    Q_PROPERTY(int textSize READ textSize WRITE setTextSize NOTIFY textSizeChanged)
    Q_PROPERTY(int textSizeCount READ textSizeCount CONSTANT)
    Q_PROPERTY(double textScale READ textScale NOTIFY textSizeChanged)
    Q_PROPERTY(bool highContrast READ highContrast WRITE setHighContrast NOTIFY highContrastChanged)
    // "normal", "dark" (high contrast, white on black) or "light" (high contrast, black on white).
    Q_PROPERTY(QString theme READ theme WRITE setTheme NOTIFY highContrastChanged)
    Q_PROPERTY(QVariantMap palette READ palette NOTIFY highContrastChanged) // ThemePalette::toMap()
    Q_PROPERTY(QString uiLanguage READ uiLanguage WRITE setUiLanguage NOTIFY uiLanguageChanged)
    Q_PROPERTY(QStringList uiLanguages READ uiLanguages CONSTANT)
    Q_PROPERTY(QVariantMap tr READ tr NOTIFY uiLanguageChanged)
    Q_PROPERTY(QString enumerator READ enumerator WRITE setEnumerator NOTIFY identityChanged)
    Q_PROPERTY(QString deviceName READ deviceName WRITE setDeviceName NOTIFY identityChanged)
    Q_PROPERTY(QString deviceId READ deviceId NOTIFY identityChanged) // replaced at enrolment
    Q_PROPERTY(QString collectorUrl READ collectorUrl WRITE setCollectorUrl NOTIFY identityChanged)
    Q_PROPERTY(bool offlineOnly READ offlineOnly WRITE setOfflineOnly NOTIFY identityChanged)
    Q_PROPERTY(bool firstRunDone READ firstRunDone NOTIFY firstRunDoneChanged)
    Q_PROPERTY(QVariantList caseStudies READ caseStudies NOTIFY caseStudiesChanged)
    Q_PROPERTY(QString caseStudy READ caseStudy WRITE setCaseStudy NOTIFY caseStudyChanged)
    Q_PROPERTY(QString caseStudyName READ caseStudyName NOTIFY caseStudyChanged)

public:
    explicit Preferences(StoreService *store, QObject *parent = nullptr);

    static constexpr int kTextSizes = 4;
    int textSize() const { return m_textSize; }
    int textSizeCount() const { return kTextSizes; }
    void setTextSize(int size);
    double textScale() const;
    bool highContrast() const { return m_theme != QLatin1String("normal"); }
    void setHighContrast(bool on); // on = "dark", the high-contrast theme first offered
    QString theme() const { return m_theme; }
    void setTheme(const QString &theme);
    QVariantMap palette() const;
    QString uiLanguage() const { return m_uiLanguage; }
    void setUiLanguage(const QString &language);
    QStringList uiLanguages() const;
    QVariantMap tr() const { return m_tr; }
    QString text(const QString &id) const;

    QString enumerator() const;
    void setEnumerator(const QString &name);
    QString deviceName() const;
    void setDeviceName(const QString &name);
    QString deviceId() const { return m_deviceId; }
    QString collectorUrl() const;
    void setCollectorUrl(const QString &url);
    bool offlineOnly() const;
    void setOfflineOnly(bool on);
    bool firstRunDone() const;
    void markFirstRunDone();

    QVariantList caseStudies() const { return m_caseStudies; } // [{id, name}]
    QString caseStudy() const { return m_caseStudy; }
    void setCaseStudy(const QString &id);
    QString caseStudyName() const;
    // Adds the founding case's six neighbourhoods when no case study exists (or `force`).
    Q_INVOKABLE void addDemoCaseStudies(bool force = false);
    // Case studies named on the command line (--case-study ID).
    void addCaseStudies(const QStringList &ids);
    // After enrolment: the sync client replaced device_id and case_studies in the store.
    // Picks them up; the current case study moves to the first enrolled one if it is not among them.
    void reloadEnrolment();

signals:
    void textSizeChanged();
    void highContrastChanged();
    void uiLanguageChanged();
    void identityChanged();
    void firstRunDoneChanged();
    void caseStudiesChanged();
    void caseStudyChanged();

private:
    void setCaseStudyList(const QVariantList &list);

    StoreService *m_store;
    int m_textSize = 1;
    QString m_theme = QStringLiteral("normal");
    QString m_uiLanguage;
    QVariantMap m_tr;
    QString m_deviceId;
    QVariantList m_caseStudies;
    QString m_caseStudy;
};

} // namespace kerbside
