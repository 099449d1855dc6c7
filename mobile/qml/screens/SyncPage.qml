// SPDX-License-Identifier: Apache-2.0
// Sync: status in plain words, Sync now / Cancel, progress, the last result, enrolment when the
// tablet is not enrolled, and "Save to USB stick". Every decision is in SyncController.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

KbPage {
    id: page
    required property SyncController sync
    required property Preferences prefs

    KbHeading { big: true; text: KbTheme.tr.nav_sync }
    KbCard {
        objectName: "syncWaiting"
        value: page.sync.waiting
        caption: KbTheme.tr.count_waiting
    }
    KbLabel {
        objectName: "syncStatus"
        text: KbTheme.tr["sync_status_" + page.sync.state]
        font.bold: true
    }
    KbLabel {
        objectName: "syncOfflineOnly"
        visible: !page.sync.enrolled && page.prefs.offlineOnly
        text: KbTheme.tr.sync_offline_only
        muted: true
    }
    KbLabel {
        objectName: "syncCollector"
        visible: page.sync.enrolled
        text: KbTheme.tr.sync_collector + " " + page.sync.collectorUrl
        muted: true
    }

    // Enrolment, prefilled with what first run stored. Flat in the page's column on purpose: a
    // nested layout of wrapping labels sends Qt 6.4's layouts into a polish loop.
    KbHeading { visible: !page.sync.enrolled; text: KbTheme.tr.sync_enrol_title }
    KbLabel { visible: !page.sync.enrolled; text: KbTheme.tr.sync_enrol_intro; muted: true }
    KbLabel { visible: !page.sync.enrolled; text: KbTheme.tr.collector_url }
    KbTextField {
        id: urlField
        objectName: "syncEnrolUrl"
        visible: !page.sync.enrolled
        text: page.sync.suggestedUrl
        placeholderText: "https://collector.example.org"
        inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
        enabled: !page.sync.busy
    }
    KbLabel { visible: !page.sync.enrolled; text: KbTheme.tr.enrolment_code }
    KbTextField {
        id: codeField
        objectName: "syncEnrolCode"
        visible: !page.sync.enrolled
        text: page.sync.suggestedCode
        inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
        enabled: !page.sync.busy
    }
    KbButton {
        objectName: "syncEnrolButton"
        Layout.fillWidth: true
        visible: !page.sync.enrolled
        primary: true
        enabled: !page.sync.busy
        text: KbTheme.tr.sync_enrol
        onClicked: page.sync.enrol(urlField.text, codeField.text)
    }

    KbProgress {
        objectName: "syncProgress"
        Layout.fillWidth: true
        value: page.sync.progress
        visible: page.sync.busy
    }
    KbLabel {
        objectName: "syncPhase"
        visible: page.sync.busy && page.sync.phaseText !== ""
        text: page.sync.phaseText
        muted: true
    }
    KbButton {
        objectName: "syncNowButton"
        Layout.fillWidth: true
        visible: page.sync.enrolled && !page.sync.busy
        primary: true
        text: KbTheme.tr.sync_now
        onClicked: page.sync.syncNow()
    }
    KbButton {
        objectName: "syncCancelButton"
        Layout.fillWidth: true
        visible: page.sync.busy
        danger: true
        text: KbTheme.tr.sync_cancel
        onClicked: page.sync.cancel()
    }
    KbLabel {
        visible: page.sync.lastResult !== ""
        text: KbTheme.tr.sync_last_result + (page.sync.lastResultTime !== "" ? " (" + page.sync.lastResultTime + ")" : "")
        font.bold: true
    }
    KbLabel {
        objectName: "syncLastResult"
        visible: page.sync.lastResult !== ""
        text: KbTheme.breakable(page.sync.lastResult)
    }
    KbLabel { text: KbTheme.tr.sync_safe; muted: true }

    KbHeading { text: KbTheme.tr.sync_usb_title }
    KbLabel { text: KbTheme.tr.sync_usb_intro; muted: true }
    KbLabel { text: KbTheme.tr.sync_usb_folder }
    KbTextField {
        id: usbField
        objectName: "syncUsbFolder"
        text: page.sync.usbFolder
        inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
        enabled: !page.sync.busy
    }
    KbButton {
        objectName: "syncUsbButton"
        Layout.fillWidth: true
        enabled: !page.sync.busy
        text: KbTheme.tr.sync_usb_save
        onClicked: page.sync.exportToUsb(usbField.text)
    }
    KbLabel {
        objectName: "syncUsbPath"
        visible: page.sync.lastExportPath !== ""
        text: KbTheme.tr.sync_usb_saved + " " + KbTheme.breakable(page.sync.lastExportPath)
        muted: true
    }
}
