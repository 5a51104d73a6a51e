from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.version_info import VersionInfo


T = TypeVar("T", bound="ProviderInfo")


@_attrs_define
class ProviderInfo:
    """
    Attributes:
        provider (str):
        orchestration (str):
        version (None | VersionInfo):
    """

    provider: str
    orchestration: str
    version: None | VersionInfo
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.version_info import VersionInfo

        provider = self.provider

        orchestration = self.orchestration

        version: dict[str, Any] | None
        if isinstance(self.version, VersionInfo):
            version = self.version.to_dict()
        else:
            version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider": provider,
                "orchestration": orchestration,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.version_info import VersionInfo

        d = dict(src_dict)
        provider = d.pop("provider")

        orchestration = d.pop("orchestration")

        def _parse_version(data: object) -> None | VersionInfo:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                version_type_0 = VersionInfo.from_dict(data)

                return version_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | VersionInfo, data)

        version = _parse_version(d.pop("version"))

        provider_info = cls(
            provider=provider,
            orchestration=orchestration,
            version=version,
        )

        provider_info.additional_properties = d
        return provider_info

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
