"""Common Indonesian name parts; combined at random they give invented, not real, people."""

from __future__ import annotations

# fmt: off
MALE_GIVEN: tuple[str, ...] = (
    "Agus", "Ahmad", "Andi", "Anton", "Arief", "Bambang", "Bayu", "Budi", "Dedi", "Deni",
    "Dimas", "Doni", "Eko", "Fajar", "Fauzi", "Ferry", "Gilang", "Hadi", "Hendra", "Heru",
    "Ilham", "Imam", "Indra", "Irfan", "Iwan", "Joko", "Junaidi", "Kurniawan", "Lukman",
    "Made", "Muhammad", "Mulyadi", "Nanang", "Nur", "Putra", "Rahmat", "Reza", "Ridwan",
    "Rizki", "Robi", "Rudi", "Sigit", "Slamet", "Sugeng", "Suherman", "Sukardi", "Supriyadi",
    "Syaiful", "Taufik", "Teguh", "Tono", "Umar", "Wahyu", "Wawan", "Yanto", "Yogi", "Yusuf",
    "Zainal", "Adi", "Aldi", "Arif", "Bagus", "Dani", "Edi", "Firman", "Galih", "Hafiz",
    "Harun", "Irwan", "Jefri", "Khairul", "Mahmud", "Naufal", "Rafi", "Samsul", "Tri", "Wahid",
    "Yudi", "Zaki", "Darmawan",
)

FEMALE_GIVEN: tuple[str, ...] = (
    "Aisyah", "Ani", "Anisa", "Ayu", "Bunga", "Citra", "Dewi", "Dian", "Dina", "Eka", "Endang",
    "Erna", "Evi", "Fitri", "Indah", "Intan", "Ira", "Kartini", "Lestari", "Lina", "Lusi",
    "Maya", "Mega", "Melati", "Nadia", "Nia", "Novi", "Nur", "Nurul", "Putri", "Ratna", "Rina",
    "Rini", "Rita", "Sari", "Siti", "Sri", "Suci", "Susanti", "Tari", "Tika", "Umi", "Wati",
    "Widya", "Winda", "Yanti", "Yuli", "Yuni", "Zahra", "Ade", "Anggun", "Aprilia", "Bella",
    "Desi", "Elis", "Fatimah", "Gita", "Hana", "Hesti", "Ika", "Juwita", "Kiki", "Laila",
    "Lia", "Marlina", "Nabila", "Nining", "Okta", "Puspita", "Rahma", "Rosa", "Salsabila",
    "Sinta", "Tuti", "Vina", "Wulan", "Yayuk", "Yulia", "Zulaikha", "Kurnia",
)

# Second names: Indonesians mostly have no family name, so these are the common second and
# third words of names (and a few patronym-like ones), used for everyone.
SECOND_NAMES: tuple[str, ...] = (
    "Saputra", "Saputri", "Pratama", "Pratiwi", "Santoso", "Wibowo", "Susanto", "Setiawan",
    "Hidayat", "Nugroho", "Kusuma", "Lestari", "Wijaya", "Purnomo", "Hartono", "Firmansyah",
    "Ramadhan", "Maulana", "Hakim", "Syahputra", "Gunawan", "Permana", "Rahayu", "Utami",
    "Wulandari", "Anggraini", "Safitri", "Handayani", "Sulistyowati", "Kurniasih",
    "Puspitasari", "Novitasari", "Oktaviani", "Fadillah", "Hasanah", "Rohmah", "Nuraini",
    "Septiani", "Prasetyo", "Suryadi", "Hermawan", "Irawan", "Kurniawan", "Budiman", "Harahap",
    "Siregar", "Nasution", "Lubis", "Sembiring", "Simanjuntak", "Sitompul", "Tanjung",
    "Effendi", "Rusdi", "Sopian", "Haryanto", "Iskandar", "Mahendra", "Sanjaya", "Yulianto",
    "Fauziah", "Amelia", "Rosita", "Yuliani", "Anjani", "Febrianti", "Marpaung", "Pohan",
    "Syahrial", "Alamsyah", "Zulkarnain", "Munandar", "Hamzah", "Aziz", "Hasibuan", "Batubara",
    "Saragih", "Daulay", "Ardiansyah", "Darmadi",
)
# fmt: on
