"""Region reference data: Indonesia's 38 provinces and Bandar Lampung's 20 kecamatan."""

from __future__ import annotations

# Kemendagri province codes (the first two NIK digits), as of the 2022 Papua split.
PROVINCES: dict[str, str] = {
    "11": "Aceh",
    "12": "Sumatera Utara",
    "13": "Sumatera Barat",
    "14": "Riau",
    "15": "Jambi",
    "16": "Sumatera Selatan",
    "17": "Bengkulu",
    "18": "Lampung",
    "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau",
    "31": "DKI Jakarta",
    "32": "Jawa Barat",
    "33": "Jawa Tengah",
    "34": "DI Yogyakarta",
    "35": "Jawa Timur",
    "36": "Banten",
    "51": "Bali",
    "52": "Nusa Tenggara Barat",
    "53": "Nusa Tenggara Timur",
    "61": "Kalimantan Barat",
    "62": "Kalimantan Tengah",
    "63": "Kalimantan Selatan",
    "64": "Kalimantan Timur",
    "65": "Kalimantan Utara",
    "71": "Sulawesi Utara",
    "72": "Sulawesi Tengah",
    "73": "Sulawesi Selatan",
    "74": "Sulawesi Tenggara",
    "75": "Gorontalo",
    "76": "Sulawesi Barat",
    "81": "Maluku",
    "82": "Maluku Utara",
    "91": "Papua",
    "92": "Papua Barat",
    "93": "Papua Selatan",
    "94": "Papua Tengah",
    "95": "Papua Pegunungan",
    "96": "Papua Barat Daya",
}

PROVINCE_CODE = "18"
REGENCY_CODE = "1871"
REGENCY_NAME = "Kota Bandar Lampung"

# The 20 kecamatan of Kota Bandar Lampung (public place names). The code order follows the
# Kemendagri list as best we know it; for synthetic data only the format has to be right.
BANDAR_LAMPUNG_DISTRICTS: dict[str, str] = {
    "187101": "Teluk Betung Barat",
    "187102": "Teluk Betung Selatan",
    "187103": "Panjang",
    "187104": "Tanjung Karang Timur",
    "187105": "Teluk Betung Utara",
    "187106": "Tanjung Karang Pusat",
    "187107": "Tanjung Karang Barat",
    "187108": "Kemiling",
    "187109": "Kedaton",
    "187110": "Rajabasa",
    "187111": "Tanjung Senang",
    "187112": "Sukarame",
    "187113": "Sukabumi",
    "187114": "Way Halim",
    "187115": "Langkapura",
    "187116": "Enggal",
    "187117": "Kedamaian",
    "187118": "Labuhan Ratu",
    "187119": "Bumi Waras",
    "187120": "Teluk Betung Timur",
}

# Approximate centre (lat, lon) of each kecamatan, read off a map to about 0.01 degree;
# good enough for "nearest facility" demos, not for navigation.
DISTRICT_CENTRES: dict[str, tuple[float, float]] = {
    "187101": (-5.462, 105.232),
    "187102": (-5.449, 105.266),
    "187103": (-5.477, 105.318),
    "187104": (-5.419, 105.275),
    "187105": (-5.433, 105.253),
    "187106": (-5.413, 105.254),
    "187107": (-5.407, 105.228),
    "187108": (-5.396, 105.204),
    "187109": (-5.385, 105.251),
    "187110": (-5.360, 105.240),
    "187111": (-5.361, 105.280),
    "187112": (-5.380, 105.300),
    "187113": (-5.415, 105.310),
    "187114": (-5.396, 105.275),
    "187115": (-5.388, 105.224),
    "187116": (-5.420, 105.260),
    "187117": (-5.412, 105.285),
    "187118": (-5.375, 105.256),
    "187119": (-5.456, 105.282),
    "187120": (-5.470, 105.260),
}

# Half-width in degrees (about 1.5 km) of the box around a centre where synthetic addresses
# fall; kecamatan here are a few kilometres across.
DISTRICT_SPREAD = 0.014

# Invented street names for synthetic addresses (generic words, not a copy of a street list).
# fmt: off
STREETS: tuple[str, ...] = (
    "Jl. Melati", "Jl. Kenanga", "Jl. Cempaka", "Jl. Flamboyan", "Jl. Bougenvil",
    "Jl. Nangka", "Jl. Durian", "Jl. Rambutan", "Jl. Cendana", "Jl. Beringin",
    "Jl. Mawar", "Jl. Dahlia", "Jl. Kamboja", "Jl. Seroja", "Jl. Teratai",
    "Jl. Pelita", "Jl. Harapan", "Jl. Damai", "Jl. Sejahtera", "Jl. Merdeka Raya",
    "Jl. Bukit Indah", "Jl. Pantai Permai", "Jl. Griya Asri", "Jl. Lestari", "Jl. Sentosa",
)
# fmt: on
