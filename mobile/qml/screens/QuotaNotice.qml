// SPDX-License-Identifier: Apache-2.0
// Said plainly as soon as the answers fix a full quota cell. Soft mode: continue or end
// politely; hard mode: the interview ends (Next says so). The rule is InterviewController's.
import QtQuick
import QtQuick.Layouts
import Kerbside.Ui

Rectangle {
    id: notice
    required property InterviewController controller
    objectName: "quotaNotice"
    visible: controller.quotaNotice !== "" && controller.mode !== "finished"
    Layout.fillWidth: true
    implicitHeight: col.implicitHeight + 24
    radius: 8
    color: KbTheme.errorBackground
    border.width: KbTheme.borderWidth + 1
    border.color: KbTheme.error

    ColumnLayout {
        id: col
        anchors.fill: parent
        anchors.margins: 12
        spacing: 8
        KbLabel {
            objectName: "quotaNoticeText"
            text: notice.controller.quotaNotice
            font.pixelSize: KbTheme.fontLarge
            font.bold: true
            color: KbTheme.error
        }
        KbLabel {
            text: notice.controller.quotaHard ? KbTheme.tr.quota_hard_hint : KbTheme.tr.quota_soft_hint
            color: KbTheme.text
        }
        GridLayout {
            Layout.fillWidth: true
            visible: !notice.controller.quotaHard
            columns: notice.width > 700 ? 2 : 1
            columnSpacing: KbTheme.spacing
            rowSpacing: 8
            KbButton {
                objectName: "quotaContinueButton"
                Layout.fillWidth: true
                text: KbTheme.tr.quota_continue
                onClicked: notice.controller.continueDespiteQuota()
            }
            KbButton {
                objectName: "quotaEndButton"
                Layout.fillWidth: true
                text: KbTheme.tr.quota_end_politely
                onClicked: notice.controller.screenOut()
            }
        }
    }
}
