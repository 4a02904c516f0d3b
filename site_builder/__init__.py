"""site_builder: turns a folder of articles into a linked story-dossier website."""

__version__ = "0.1.0"
