// SPDX-License-Identifier: Apache-2.0
// Settings: text size, high contrast, interface language, who and where.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

KbPage {
    id: page
    required property StoreService store
    required property Preferences prefs
    required property FormCatalogue catalogue

    SettingsController {
        id: ctl
        prefs: page.prefs
        store: page.store
        catalogue: page.catalogue
    }

    KbHeading { big: true; text: KbTheme.tr.nav_settings }

    KbLabel { text: KbTheme.tr.text_size; font.bold: true }
    RowLayout {
        Layout.fillWidth: true
        spacing: 8
        Repeater {
            model: page.prefs.textSizeCount
            delegate: KbChoiceButton {
                required property int index
                objectName: "textSize_" + index
                Layout.fillWidth: true
                compact: true
                text: "A"
                font.pixelSize: 16 + index * 6
                checked: page.prefs.textSize === index
                onClicked: page.prefs.textSize = index
                Accessible.name: KbTheme.tr.text_size + " " + (index + 1)
            }
        }
    }

    KbLabel { text: KbTheme.tr.contrast; font.bold: true }
    GridLayout {
        Layout.fillWidth: true
        columns: page.width > 1000 ? 3 : 1
        columnSpacing: 8
        rowSpacing: 8
        Repeater {
            model: [["normal", "contrastNormal", "contrast_normal"], ["dark", "contrastHigh", "contrast_high"],
                    ["light", "contrastLight", "contrast_light"]]
            delegate: KbChoiceButton {
                required property var modelData
                objectName: modelData[1]
                Layout.fillWidth: true
                text: KbTheme.tr[modelData[2]]
                checked: page.prefs.theme === modelData[0]
                onClicked: page.prefs.theme = modelData[0]
            }
        }
    }

    KbLabel { text: KbTheme.tr.interface_language; font.bold: true }
    RowLayout {
        Layout.fillWidth: true
        spacing: 8
        Repeater {
            model: page.prefs.uiLanguages
            delegate: KbChoiceButton {
                required property string modelData
                objectName: "uiLang_" + modelData
                Layout.fillWidth: true
                compact: true
                text: modelData === "pl" ? "Polski" : "English"
                checked: page.prefs.uiLanguage === modelData
                onClicked: page.prefs.uiLanguage = modelData
            }
        }
    }

    KbLabel { text: KbTheme.tr.enumerator_name; font.bold: true }
    KbTextField {
        objectName: "settingsEnumerator"
        text: page.prefs.enumerator
        onEditingFinished: page.prefs.enumerator = text
    }
    KbLabel { text: KbTheme.tr.device_name; font.bold: true }
    KbTextField {
        text: page.prefs.deviceName
        onEditingFinished: page.prefs.deviceName = text
    }
    KbLabel { text: KbTheme.tr.case_studies; font.bold: true }
    KbLabel {
        text: page.prefs.caseStudies.map(c => c.name).join("\n")
        muted: true
    }
    KbButton {
        Layout.fillWidth: true
        visible: page.prefs.caseStudies.length === 0
        text: KbTheme.tr.add_demo_case_studies
        onClicked: page.prefs.addDemoCaseStudies(false)
    }
    KbLabel {
        text: KbTheme.tr.data_folder + " " + KbTheme.breakable(ctl.dataPath) + "\n" + KbTheme.tr.forms_folder + " "
              + KbTheme.breakable(ctl.formsFolder)
              + "\n" + KbTheme.tr.device_id + " " + page.prefs.deviceId
        muted: true
        font.pixelSize: KbTheme.fontSmall
        wrapMode: Text.WrapAnywhere
    }
    KbLabel {
        visible: ctl.formProblems.length > 0
        text: ctl.formProblems.join("\n")
        color: KbTheme.error
        font.pixelSize: KbTheme.fontSmall
        wrapMode: Text.WrapAnywhere
    }
}
