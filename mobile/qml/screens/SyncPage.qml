// SPDX-License-Identifier: Apache-2.0
// Sync: what is waiting, progress, the last result in plain words.
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
        text: KbTheme.tr["sync_status_" + page.sync.status]
        font.bold: true
    }
    ProgressBar {
        Layout.fillWidth: true
        from: 0
        to: 1
        value: page.sync.progress
        visible: page.sync.status === "syncing"
    }
    KbLabel {
        objectName: "syncLastResult"
        visible: page.sync.lastResultId !== ""
        text: page.sync.lastResultId !== "" ? page.sync.lastResultTime + " — " + KbTheme.tr[page.sync.lastResultId] : ""
    }
    KbLabel { text: KbTheme.tr.sync_safe; muted: true }
    KbButton {
        objectName: "syncNowButton"
        Layout.fillWidth: true
        primary: true
        text: KbTheme.tr.sync_now
        onClicked: page.sync.syncNow()
    }
}
