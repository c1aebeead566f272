"""Indonesian reasons for pydantic's validation errors (which it writes in English only), by
error type and its context, so a 422 reads in the member's language too."""

from __future__ import annotations

from typing import Any

_ID: dict[str, str] = {
    "missing": "Wajib diisi.",
    "extra_forbidden": "Kolom ini tidak dikenal.",
    "string_too_long": "Paling banyak {max_length} karakter.",
    "string_too_short": "Paling sedikit {min_length} karakter.",
    "string_pattern_mismatch": "Formatnya tidak sesuai.",
    "string_type": "Harus berupa teks.",
    "int_parsing": "Harus berupa bilangan bulat.",
    "int_type": "Harus berupa bilangan bulat.",
    "int_from_float": "Harus berupa bilangan bulat.",
    "float_parsing": "Harus berupa angka.",
    "float_type": "Harus berupa angka.",
    "bool_parsing": "Harus benar atau salah (true/false).",
    "bool_type": "Harus benar atau salah (true/false).",
    "greater_than": "Harus lebih dari {gt}.",
    "greater_than_equal": "Paling kecil {ge}.",
    "less_than": "Harus kurang dari {lt}.",
    "less_than_equal": "Paling besar {le}.",
    "literal_error": "Harus salah satu dari: {expected}.",
    "enum": "Harus salah satu dari: {expected}.",
    "date_parsing": "Tanggal tidak sah (format TTTT-BB-HH).",
    "date_from_datetime_parsing": "Tanggal tidak sah (format TTTT-BB-HH).",
    "date_type": "Tanggal tidak sah (format TTTT-BB-HH).",
    "datetime_parsing": "Waktu tidak sah (format ISO 8601).",
    "datetime_from_date_parsing": "Waktu tidak sah (format ISO 8601).",
    "uuid_parsing": "Pengenal (UUID) tidak sah.",
    "json_invalid": "Isi permintaan bukan JSON yang sah.",
    "model_attributes_type": "Harus berupa objek JSON.",
    "dict_type": "Harus berupa objek JSON.",
    "list_type": "Harus berupa daftar.",
    "too_short": "Terlalu sedikit isian.",
    "too_long": "Terlalu banyak isian.",
    "finite_number": "Harus berupa angka terhingga.",
}
FALLBACK = "Nilainya tidak sah."


def reason_id(error: dict[str, Any]) -> str:
    """The Indonesian reason of one pydantic error (its `type` and `ctx`)."""
    template = _ID.get(error.get("type", ""))
    if template is None:
        return FALLBACK
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return FALLBACK
