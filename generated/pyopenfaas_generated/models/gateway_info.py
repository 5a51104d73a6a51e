from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.provider_info import ProviderInfo
    from ..models.version_info import VersionInfo


T = TypeVar("T", bound="GatewayInfo")


@_attrs_define
class GatewayInfo:
    """
    Attributes:
        provider (None | ProviderInfo):
        version (VersionInfo):
        arch (str):
    """

    provider: None | ProviderInfo
    version: VersionInfo
    arch: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.provider_info import ProviderInfo

        provider: dict[str, Any] | None
        if isinstance(self.provider, ProviderInfo):
            provider = self.provider.to_dict()
        else:
            provider = self.provider

        version = self.version.to_dict()

        arch = self.arch

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider": provider,
                "version": version,
                "arch": arch,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.provider_info import ProviderInfo
        from ..models.version_info import VersionInfo

        d = dict(src_dict)

        def _parse_provider(data: object) -> None | ProviderInfo:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                provider_type_0 = ProviderInfo.from_dict(data)

                return provider_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProviderInfo, data)

        provider = _parse_provider(d.pop("provider"))

        version = VersionInfo.from_dict(d.pop("version"))

        arch = d.pop("arch")

        gateway_info = cls(
            provider=provider,
            version=version,
            arch=arch,
        )

        gateway_info.additional_properties = d
        return gateway_info

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
