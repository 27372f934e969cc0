"""A small county to manage: two townships in 宁陕县 and one in another county."""

from types import SimpleNamespace

import pytest


@pytest.fixture
def county(factory):
    """江口镇 (home) and 城关镇 in 宁陕县; 涧池镇 in 汉阴县, another county."""
    home = factory.default_township
    neighbour = factory.township("城关镇")
    far = factory.township("涧池镇", county=factory.county("汉阴县"))
    return SimpleNamespace(home=home, neighbour=neighbour, far=far)
