// SPDX-License-Identifier: Apache-2.0
// Several choices: big tick-box rows; stored as names separated by single spaces, form order.
import QtQuick
import QtQuick.Controls
import Kerbside.Ui

Column {
    id: editor
    property string questionName
    property string value
    property var choices: []
    property bool readOnly: false
    signal answered(string value)

    readonly property var selected: value === "" ? [] : value.split(" ")
    spacing: 8

    function toggle(name) {
        const out = []
        for (let i = 0; i < choices.length; ++i) {
            const n = choices[i].name
            const on = selected.indexOf(n) >= 0
            if ((n === name) !== on)
                out.push(n)
        }
        answered(out.join(" "))
    }

    Repeater {
        model: editor.choices
        delegate: KbChoiceButton {
            required property var modelData
            objectName: "choice_" + editor.questionName + "_" + modelData.name
            width: editor.width
            multiple: true
            enabled: !editor.readOnly
            text: modelData.label
            checked: editor.selected.indexOf(modelData.name) >= 0
            onClicked: editor.toggle(modelData.name)
        }
    }
}
