// SPDX-License-Identifier: Apache-2.0
// Consent: two big buttons. "No" ends the interview as a refusal (the core decides).
import QtQuick
import QtQuick.Controls
import Kerbside.Ui

Row {
    id: editor
    property string questionName
    property string value
    property var choices: []
    signal answered(string value)
    spacing: KbTheme.spacing

    Repeater {
        model: editor.choices
        delegate: KbChoiceButton {
            required property var modelData
            objectName: "choice_" + editor.questionName + "_" + modelData.name
            width: (editor.width - editor.spacing * (editor.choices.length - 1)) / Math.max(1, editor.choices.length)
            implicitHeight: KbTheme.buttonHeight * 1.3
            compact: true
            font.pixelSize: KbTheme.fontTitle
            font.bold: true
            text: modelData.label
            checked: editor.value === modelData.name
            onClicked: editor.answered(modelData.name)
        }
    }
}
