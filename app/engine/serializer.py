"""Workflow state to JSON and back, without the embedded spec.

SpiffWorkflow's serializer writes the whole spec (and every called process's spec) into each
workflow. Specs live once per deployed version instead, so this converter leaves them out and
takes them from the caller when restoring. The script engine is not serialized either: the
caller attaches it after every load.
"""
import json
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.task_spec import (BpmnTaskSpecConverter,
                                                              MultiInstanceTaskConverter)
from SpiffWorkflow.bpmn.specs.defaults import (ParallelMultiInstanceTask, SequentialMultiInstanceTask,
                                               ServiceTask)
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG

from .business_timers import SWAPS


class SpeclessWorkflowConverter(BpmnWorkflowConverter):
    def to_dict(self, workflow):
        dct = super(BpmnWorkflowConverter, self).to_dict(workflow)
        dct['subprocesses'] = self.mapping_to_dict(workflow.subprocesses)
        dct['bpmn_events'] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct['tasks'], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct['root']))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct['subprocesses'], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop('bpmn_events', []))
        return workflow


_config = dict(CAMUNDA_CONFIG)
_config[BpmnWorkflow] = SpeclessWorkflowConverter
# Specs are never stored, but SpiffWorkflow's spec diff (used to migrate cases) converts them.
_config[ServiceTask] = BpmnTaskSpecConverter
# BPMN's own multi-instance (loopDataInputRef), which parser.CaseParser builds beside Camunda's
_config[ParallelMultiInstanceTask] = _config[SequentialMultiInstanceTask] = MultiInstanceTaskConverter
# timers counting business days (business_timers.py) convert as the SpiffWorkflow ones they extend
_config.update({business: _config[plain] for plain, business in SWAPS.items()})
_serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(_config))


def registry():
    """The converter registry (SpiffWorkflow's spec diff compares specs through it)."""
    return _serializer.registry


def dumps(workflow: BpmnWorkflow) -> str:
    registry = _serializer.registry
    registry._encoder_mode = True
    try:
        dct = registry.convert(workflow)
        return json.dumps(dct, cls=_serializer._encoder_cls, separators=(',', ':'))
    finally:
        registry._encoder_mode = False


def loads(text: str, spec, subprocess_specs, script_engine) -> BpmnWorkflow:
    workflow = _serializer.registry.restore(
        json.loads(text), spec=spec, subprocess_specs=subprocess_specs)
    workflow.script_engine = script_engine
    return workflow
