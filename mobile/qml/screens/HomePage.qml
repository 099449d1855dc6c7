// SPDX-License-Identifier: Apache-2.0
// Home: case study, form, today's figures, Start / Resume / Log approach.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

KbPage {
    id: page
    required property StoreService store
    required property Preferences prefs
    required property FormCatalogue catalogue
    required property PositionService position
    signal startRequested(string formId)
    signal resumeRequested(string uuid)
    signal areaRequested()

    HomeController {
        id: ctl
        objectName: "homeController"
        store: page.store
        prefs: page.prefs
        catalogue: page.catalogue
        position: page.position
    }

    // Resume first: every draft left behind (app closed or killed) must be impossible to miss,
    // each with where it stopped and when.
    Repeater {
        model: ctl.draftList
        delegate: Rectangle {
            id: draft
            required property var modelData
            required property int index
            objectName: "draft_" + modelData.uuid
            Layout.fillWidth: true
            implicitHeight: resumeCol.implicitHeight + 24
            radius: 8
            color: KbTheme.surface
            border.color: KbTheme.accent
            border.width: KbTheme.borderWidth + 1
            GridLayout {
                id: resumeCol
                anchors.fill: parent
                anchors.margins: 12
                columns: page.width > 900 ? 2 : 1
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 2
                    KbLabel {
                        text: KbTheme.tr.draft_waiting + " " + draft.modelData.title
                        font.bold: true
                    }
                    KbLabel {
                        objectName: "draftProgress_" + draft.modelData.uuid
                        text: draft.modelData.progress
                        muted: true
                    }
                }
                KbButton {
                    // The newest keeps the name the tests and the docs know.
                    objectName: draft.index === 0 ? "resumeButton" : "resumeButton_" + draft.index
                    Layout.fillWidth: page.width <= 900
                    primary: true
                    text: KbTheme.tr.resume
                    onClicked: page.resumeRequested(draft.modelData.uuid)
                }
            }
        }
    }

    KbLabel { text: KbTheme.tr.case_study; muted: true }
    ComboBox {
        id: caseStudyBox
        objectName: "caseStudyPicker"
        Layout.fillWidth: true
        implicitHeight: KbTheme.touchMin
        font.pixelSize: KbTheme.fontBody
        model: page.prefs.caseStudies
        textRole: "name"
        valueRole: "id"
        // Its own outline: Material's dark style draws none, and the picker vanished on black.
        background: Rectangle {
            radius: 6
            color: KbTheme.surface
            border.width: caseStudyBox.visualFocus ? KbTheme.borderWidth + 1 : KbTheme.borderWidth
            border.color: caseStudyBox.visualFocus ? KbTheme.accent : KbTheme.border
        }
        displayText: page.prefs.caseStudies.length > 0 ? page.prefs.caseStudyName : KbTheme.tr.no_case_study
        currentIndex: {
            const list = page.prefs.caseStudies
            for (let i = 0; i < list.length; ++i)
                if (list[i].id === page.prefs.caseStudy)
                    return i
            return -1
        }
        onActivated: index => page.prefs.caseStudy = page.prefs.caseStudies[index].id
        delegate: ItemDelegate {
            required property var modelData
            required property int index
            width: caseStudyBox.width
            height: KbTheme.touchMin
            text: modelData.name
            font.pixelSize: KbTheme.fontBody
            highlighted: caseStudyBox.highlightedIndex === index
        }
    }
    KbButton {
        objectName: "addDemoCaseStudies"
        visible: page.prefs.caseStudies.length === 0
        Layout.fillWidth: true
        text: KbTheme.tr.add_demo_case_studies
        onClicked: page.prefs.addDemoCaseStudies(false)
    }

    KbLabel { text: KbTheme.tr.form; muted: true }
    KbLabel { visible: page.catalogue.count === 0; text: KbTheme.tr.no_forms; color: KbTheme.error }
    GridLayout {
        Layout.fillWidth: true
        columns: page.width > 900 ? 2 : 1
        columnSpacing: KbTheme.spacing
        rowSpacing: KbTheme.spacing
        Repeater {
            model: page.catalogue
            delegate: KbChoiceButton {
                required property string formId
                required property var titles
                required property string title
                objectName: "form_" + formId
                Layout.fillWidth: true
                text: titles[KbTheme.language] || title
                checked: ctl.selectedFormId === formId
                onClicked: ctl.selectedFormId = formId
            }
        }
    }

    GridLayout {
        Layout.fillWidth: true
        columns: 3
        columnSpacing: KbTheme.spacing
        KbCard { objectName: "countToday"; value: ctl.today; caption: KbTheme.tr.count_today }
        KbCard { objectName: "countAll"; value: ctl.all; caption: KbTheme.tr.count_all }
        KbCard { objectName: "countWaiting"; value: ctl.waiting; caption: KbTheme.tr.count_waiting }
    }

    QuotaController {
        id: quota
        objectName: "quotaController"
        store: page.store
        prefs: page.prefs
        catalogue: page.catalogue
    }
    GridLayout {
        Layout.fillWidth: true
        columns: page.width > 900 ? 2 : 1
        columnSpacing: KbTheme.spacing
        rowSpacing: KbTheme.spacing
        KbButton {
            objectName: "startInterviewButton"
            Layout.fillWidth: true
            primary: true
            enabled: ctl.selectedFormId !== ""
            text: KbTheme.tr.start_interview
            onClicked: page.startRequested(ctl.selectedFormId)
        }
        KbButton {
            objectName: "logApproachButton"
            Layout.fillWidth: true
            text: KbTheme.tr.log_approach
            onClicked: approach.open()
        }
    }
    KbButton {
        objectName: "areaMapButton"
        Layout.fillWidth: true
        text: KbTheme.tr.area_map
        onClicked: page.areaRequested()
    }
    KbLabel {
        objectName: "homeMessage"
        visible: text !== ""
        text: ctl.lastMessage
        color: KbTheme.good
        font.bold: true
    }

    QuotaPanel { controller: quota }

    LogApproachPanel {
        id: approach
        controller: ctl
    }
}
