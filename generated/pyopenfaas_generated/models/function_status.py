from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.function_resources import FunctionResources
    from ..models.function_usage import FunctionUsage
    from ..models.string_map import StringMap


T = TypeVar("T", bound="FunctionStatus")


@_attrs_define
class FunctionStatus:
    """
    Attributes:
        name (str):
        image (str):
        namespace (str | Unset):
        env_process (str | Unset):
        env_vars (StringMap | Unset):
        constraints (list[str] | Unset):
        secrets (list[str] | Unset):
        labels (StringMap | Unset):
        annotations (StringMap | Unset):
        limits (FunctionResources | Unset): Kubernetes-style resource quantities.
        requests (FunctionResources | Unset): Kubernetes-style resource quantities.
        read_only_root_filesystem (bool | Unset):
        invocation_count (float | Unset): Filled by the gateway from Prometheus (a float64 counter; whole numbers in
            practice)
        replicas (int | Unset): Desired replicas; omitted when 0
        available_replicas (int | Unset): Ready replicas; omitted when 0
        created_at (datetime.datetime | Unset): Always present; `0001-01-01T00:00:00Z` when unknown
        usage (FunctionUsage | Unset):
    """

    name: str
    image: str
    namespace: str | Unset = UNSET
    env_process: str | Unset = UNSET
    env_vars: StringMap | Unset = UNSET
    constraints: list[str] | Unset = UNSET
    secrets: list[str] | Unset = UNSET
    labels: StringMap | Unset = UNSET
    annotations: StringMap | Unset = UNSET
    limits: FunctionResources | Unset = UNSET
    requests: FunctionResources | Unset = UNSET
    read_only_root_filesystem: bool | Unset = UNSET
    invocation_count: float | Unset = UNSET
    replicas: int | Unset = UNSET
    available_replicas: int | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    usage: FunctionUsage | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        image = self.image

        namespace = self.namespace

        env_process = self.env_process

        env_vars: dict[str, Any] | Unset = UNSET
        if not isinstance(self.env_vars, Unset):
            env_vars = self.env_vars.to_dict()

        constraints: list[str] | Unset = UNSET
        if not isinstance(self.constraints, Unset):
            constraints = self.constraints

        secrets: list[str] | Unset = UNSET
        if not isinstance(self.secrets, Unset):
            secrets = self.secrets

        labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels.to_dict()

        annotations: dict[str, Any] | Unset = UNSET
        if not isinstance(self.annotations, Unset):
            annotations = self.annotations.to_dict()

        limits: dict[str, Any] | Unset = UNSET
        if not isinstance(self.limits, Unset):
            limits = self.limits.to_dict()

        requests: dict[str, Any] | Unset = UNSET
        if not isinstance(self.requests, Unset):
            requests = self.requests.to_dict()

        read_only_root_filesystem = self.read_only_root_filesystem

        invocation_count = self.invocation_count

        replicas = self.replicas

        available_replicas = self.available_replicas

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        usage: dict[str, Any] | Unset = UNSET
        if not isinstance(self.usage, Unset):
            usage = self.usage.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "image": image,
            }
        )
        if namespace is not UNSET:
            field_dict["namespace"] = namespace
        if env_process is not UNSET:
            field_dict["envProcess"] = env_process
        if env_vars is not UNSET:
            field_dict["envVars"] = env_vars
        if constraints is not UNSET:
            field_dict["constraints"] = constraints
        if secrets is not UNSET:
            field_dict["secrets"] = secrets
        if labels is not UNSET:
            field_dict["labels"] = labels
        if annotations is not UNSET:
            field_dict["annotations"] = annotations
        if limits is not UNSET:
            field_dict["limits"] = limits
        if requests is not UNSET:
            field_dict["requests"] = requests
        if read_only_root_filesystem is not UNSET:
            field_dict["readOnlyRootFilesystem"] = read_only_root_filesystem
        if invocation_count is not UNSET:
            field_dict["invocationCount"] = invocation_count
        if replicas is not UNSET:
            field_dict["replicas"] = replicas
        if available_replicas is not UNSET:
            field_dict["availableReplicas"] = available_replicas
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if usage is not UNSET:
            field_dict["usage"] = usage

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.function_resources import FunctionResources
        from ..models.function_usage import FunctionUsage
        from ..models.string_map import StringMap

        d = dict(src_dict)
        name = d.pop("name")

        image = d.pop("image")

        namespace = d.pop("namespace", UNSET)

        env_process = d.pop("envProcess", UNSET)

        _env_vars = d.pop("envVars", UNSET)
        env_vars: StringMap | Unset
        if isinstance(_env_vars, Unset):
            env_vars = UNSET
        else:
            env_vars = StringMap.from_dict(_env_vars)

        constraints = cast(list[str], d.pop("constraints", UNSET))

        secrets = cast(list[str], d.pop("secrets", UNSET))

        _labels = d.pop("labels", UNSET)
        labels: StringMap | Unset
        if isinstance(_labels, Unset):
            labels = UNSET
        else:
            labels = StringMap.from_dict(_labels)

        _annotations = d.pop("annotations", UNSET)
        annotations: StringMap | Unset
        if isinstance(_annotations, Unset):
            annotations = UNSET
        else:
            annotations = StringMap.from_dict(_annotations)

        _limits = d.pop("limits", UNSET)
        limits: FunctionResources | Unset
        if isinstance(_limits, Unset):
            limits = UNSET
        else:
            limits = FunctionResources.from_dict(_limits)

        _requests = d.pop("requests", UNSET)
        requests: FunctionResources | Unset
        if isinstance(_requests, Unset):
            requests = UNSET
        else:
            requests = FunctionResources.from_dict(_requests)

        read_only_root_filesystem = d.pop("readOnlyRootFilesystem", UNSET)

        invocation_count = d.pop("invocationCount", UNSET)

        replicas = d.pop("replicas", UNSET)

        available_replicas = d.pop("availableReplicas", UNSET)

        _created_at = d.pop("createdAt", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        _usage = d.pop("usage", UNSET)
        usage: FunctionUsage | Unset
        if isinstance(_usage, Unset):
            usage = UNSET
        else:
            usage = FunctionUsage.from_dict(_usage)

        function_status = cls(
            name=name,
            image=image,
            namespace=namespace,
            env_process=env_process,
            env_vars=env_vars,
            constraints=constraints,
            secrets=secrets,
            labels=labels,
            annotations=annotations,
            limits=limits,
            requests=requests,
            read_only_root_filesystem=read_only_root_filesystem,
            invocation_count=invocation_count,
            replicas=replicas,
            available_replicas=available_replicas,
            created_at=created_at,
            usage=usage,
        )

        function_status.additional_properties = d
        return function_status

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
