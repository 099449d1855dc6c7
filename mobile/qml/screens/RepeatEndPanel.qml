// SPDX-License-Identifier: Apache-2.0
// After the instances of an open-ended repeat: "Add another Person?" with one big button to add
// one; Next (in the footer) says "No more" and goes on. The count shows what is there already.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

ColumnLayout {
    id: panel
    required property InterviewController controller
    spacing: KbTheme.spacing * 2

    function fill(text) { return text.replace("%1", panel.controller.repeatLabel) }

    KbLabel {
        objectName: "repeatQuestion"
        text: panel.fill(panel.controller.instanceCount > 0 ? KbTheme.tr.repeat_question : KbTheme.tr.repeat_question_first)
        font.pixelSize: KbTheme.fontLarge
        font.bold: true
    }
    KbLabel {
        objectName: "repeatCount"
        text: KbTheme.tr.repeat_count.replace("%1", panel.controller.instanceCount)
        muted: true
    }
    KbButton {
        objectName: "addInstanceButton"
        Layout.fillWidth: true
        Layout.preferredHeight: KbTheme.buttonHeight * 1.5
        visible: panel.controller.canAddInstance
        primary: true
        text: "+ " + panel.fill(panel.controller.instanceCount > 0 ? KbTheme.tr.repeat_add_another : KbTheme.tr.repeat_add_first)
        onClicked: panel.controller.addInstance()
    }
    KbLabel {
        visible: !panel.controller.canAddInstance
        text: KbTheme.tr.repeat_full
        color: KbTheme.error
    }
}
