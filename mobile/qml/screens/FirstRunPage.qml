// SPDX-License-Identifier: Apache-2.0
// First run: who interviews on this device, and how it syncs (or offline only).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

KbPage {
    id: page
    required property StoreService store
    required property Preferences prefs
    required property SyncController sync
    signal done()

    FirstRunController {
        id: ctl
        store: page.store
        prefs: page.prefs
        sync: page.sync
        onDone: page.done()
    }

    KbHeading { big: true; text: KbTheme.tr.firstrun_title }
    KbLabel { text: KbTheme.tr.firstrun_intro; muted: true }

    RowLayout {
        Layout.fillWidth: true
        spacing: KbTheme.spacing
        Repeater {
            model: page.prefs.uiLanguages
            delegate: KbChoiceButton {
                required property string modelData
                objectName: "firstrun_lang_" + modelData
                compact: true
                Layout.fillWidth: true
                text: modelData === "pl" ? "Polski" : "English"
                checked: page.prefs.uiLanguage === modelData
                onClicked: page.prefs.uiLanguage = modelData
            }
        }
    }

    KbLabel { text: KbTheme.tr.enumerator_name }
    KbTextField {
        objectName: "firstrun_enumerator"
        text: ctl.enumerator
        onTextEdited: ctl.enumerator = text
    }
    KbLabel { text: KbTheme.tr.device_name }
    KbTextField {
        objectName: "firstrun_device"
        text: ctl.deviceName
        placeholderText: KbTheme.tr.device_name_hint
        onTextEdited: ctl.deviceName = text
    }

    RowLayout {
        Layout.fillWidth: true
        spacing: KbTheme.spacing
        KbChoiceButton {
            objectName: "firstrun_offline"
            Layout.fillWidth: true
            text: KbTheme.tr.offline_only
            checked: ctl.offlineOnly
            onClicked: ctl.offlineOnly = true
        }
        KbChoiceButton {
            objectName: "firstrun_collector"
            Layout.fillWidth: true
            text: KbTheme.tr.use_collector
            checked: !ctl.offlineOnly
            onClicked: ctl.offlineOnly = false
        }
    }
    ColumnLayout {
        Layout.fillWidth: true
        visible: !ctl.offlineOnly
        spacing: KbTheme.spacing
        KbLabel { text: KbTheme.tr.collector_url }
        KbTextField {
            objectName: "firstrun_url"
            text: ctl.collectorUrl
            placeholderText: "https://collector.example.org"
            inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
            onTextEdited: ctl.collectorUrl = text
        }
        KbLabel { text: KbTheme.tr.enrolment_code }
        KbTextField {
            objectName: "firstrun_code"
            text: ctl.enrolmentCode
            inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
            onTextEdited: ctl.enrolmentCode = text
        }
    }
    KbLabel {
        objectName: "firstrun_error"
        visible: ctl.errorId !== ""
        text: ctl.errorId !== "" ? KbTheme.tr[ctl.errorId] : ""
        color: KbTheme.error
        font.bold: true
    }
    KbLabel {
        objectName: "firstrun_enrol"
        visible: ctl.enrolling || ctl.enrolResult !== ""
        text: ctl.enrolling ? KbTheme.tr.firstrun_enrolling : ctl.enrolResult
        color: ctl.enrolling ? KbTheme.text : ctl.errorId !== "" ? KbTheme.error : KbTheme.good
    }
    KbButton {
        objectName: "firstrun_finish"
        Layout.fillWidth: true
        enabled: !ctl.enrolling
        primary: true
        text: KbTheme.tr.firstrun_finish
        onClicked: ctl.finish()
    }
}
