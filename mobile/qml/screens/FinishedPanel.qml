// SPDX-License-Identifier: Apache-2.0
// After Finalise: what was saved, then straight on to the next respondent.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

ColumnLayout {
    id: panel
    required property InterviewController controller
    signal leave()
    spacing: KbTheme.spacing * 2

    Item { Layout.preferredHeight: KbTheme.margin }
    KbHeading {
        objectName: "finishedTitle"
        big: true
        horizontalAlignment: Text.AlignHCenter
        text: KbTheme.tr["finished_" + panel.controller.finishedStatus] || KbTheme.tr.finished_complete
        color: KbTheme.good
    }
    KbLabel {
        horizontalAlignment: Text.AlignHCenter
        text: KbTheme.tr.finished_saved
        muted: true
    }
    KbButton {
        objectName: "nextRespondentButton"
        Layout.fillWidth: true
        primary: true
        text: KbTheme.tr.next_respondent
        onClicked: panel.controller.nextRespondent()
    }
    KbButton {
        objectName: "finishedHomeButton"
        Layout.fillWidth: true
        text: KbTheme.tr.nav_home
        onClicked: { panel.controller.close(); panel.leave() }
    }
}
