# Types of the compiled clean kernel (pipeline/clean/_kernel.c).
from typing_extensions import Buffer

def translate(text: str, table: Buffer, /) -> str | None: ...
