// The page's words in Indonesian and English. The browser's language chooses at first; the
// toggle's choice is remembered in this browser (localStorage holds no personal data).
"use strict";
window.Ops = window.Ops || {};
(function (Ops) {
  // Each word as [Indonesian, English]: one cannot be added without the other.
  const WORDS = {
    title: ["Dasbor cabang JKN", "JKN branch dashboard"],
    logout: ["Keluar", "Log out"],
    login_title: ["Masuk petugas", "Staff login"],
    username: ["Nama pengguna", "Username"],
    password: ["Kata sandi", "Password"],
    login: ["Masuk", "Log in"],
    other_lang: ["English", "Bahasa Indonesia"],
    updated: ["Diperbarui", "Updated"],
    participation_title: [
      "Kepesertaan dan pengguna aplikasi per segmen",
      "Participation and app adoption by segment"],
    segment: ["Segmen", "Segment"],
    participants: ["Peserta", "Participants"],
    app_users: ["Pengguna aplikasi", "App users"],
    coverage: ["Cakupan", "Coverage"],
    study_users: ["Pengguna (studi, Des 2018)", "Users (study, Dec 2018)"],
    total: ["Jumlah", "Total"],
    study_note: [
      "Studi (BPJS Kesehatan Cabang Bandar Lampung, Des 2018): {users} pengguna Mobile JKN " +
        "dari {participants} peserta ({share}) dan {population} penduduk (kepesertaan {coverage}).",
      "The study (BPJS Kesehatan Bandar Lampung branch, Dec 2018): {users} Mobile JKN users " +
        "of {participants} participants ({share}) and {population} residents " +
        "({coverage} enrolled)."],
    chart_segments: [
      "Peserta (batang muda) dan pengguna aplikasi (batang tua) per segmen",
      "Participants (light bar) and app users (dark bar) by segment"],
    requests_title: [
      "Permintaan perubahan data menunggu petugas",
      "Data-change requests waiting for an officer"],
    requests_note: [
      "Target pemeriksaan: {days} hari. Melewati target: {breaching} dari {total}.",
      "Review target: {days} days. Breaching it: {breaching} of {total}."],
    kind: ["Jenis", "Kind"],
    member: ["Peserta", "Member"],
    age: ["Umur", "Age"],
    status: ["Status", "Status"],
    within: ["dalam target", "within target"],
    breach: ["melewati target", "breaching target"],
    approve: ["Setujui", "Approve"],
    reject: ["Tolak", "Reject"],
    reason_en: ["Alasan (Inggris)", "Reason (English)"],
    reason_id: ["Alasan (Indonesia)", "Reason (Indonesian)"],
    confirm_reject: ["Kirim penolakan", "Send rejection"],
    approved: ["Permintaan disetujui.", "Request approved."],
    rejected: ["Permintaan ditolak.", "Request rejected."],
    no_requests: ["Tidak ada permintaan yang menunggu.", "No request is waiting."],
    complaints_title: ["Pengaduan terbuka", "Open complaints"],
    ticket: ["Tiket", "Ticket"],
    category: ["Kategori", "Category"],
    text: ["Isi", "Text"],
    answer: ["Jawaban", "Answer"],
    send_answer: ["Kirim jawaban", "Send answer"],
    answered: ["Pengaduan dijawab.", "Complaint answered."],
    no_complaints: ["Tidak ada pengaduan terbuka.", "No open complaint."],
    payments_title: ["Pembayaran hari ini", "Payments today"],
    channel: ["Kanal", "Channel"],
    payments: ["Pembayaran", "Payments"],
    amount: ["Jumlah (Rp)", "Amount (Rp)"],
    chart_payments: [
      "Jumlah pembayaran hari ini per kanal (Rp)",
      "Today's payments by channel (Rp)"],
    no_payments: ["Belum ada pembayaran hari ini.", "No payment yet today."],
    arrears_title: ["Tunggakan hari ini", "Arrears today"],
    payers: ["Pembayar", "Payers"],
    months: ["Bulan tertunggak", "Months in arrears"],
    amount_owed: ["Tunggakan (Rp)", "Owed (Rp)"],
    no_arrears: ["Tidak ada tunggakan.", "No arrears."],
    notifications_title: ["Notifikasi hari ini", "Notifications today"],
    sent: ["Dikirim", "Sent"],
    delivered: ["Terkirim", "Delivered"],
    failed: ["Gagal", "Failed"],
    delivery_rate: ["Tingkat terkirim", "Delivery rate"],
    no_notifications: ["Belum ada notifikasi hari ini.", "No notification yet today."],
    sms_spend: [
      "Biaya SMS hari ini: Rp {spent} dari anggaran Rp {budget}",
      "SMS spend today: Rp {spent} of a Rp {budget} budget"],
    budget: ["Anggaran", "Budget"],
    health_title: ["Kesehatan layanan dan antrean konsumen", "Service health and consumer lag"],
    group: ["Grup konsumen", "Consumer group"],
    lag: ["Tertinggal (rekaman)", "Behind (records)"],
    max_partition_lag: ["Partisi terburuk", "Worst partition"],
    ready: ["siap", "ready"],
    not_ready: ["tidak siap", "not ready"],
    figures_pending: ["Angka belum tersedia: {why}", "Figures not available: {why}"],
    days: ["{n} hr", "{n} d"],
    hours: ["{n} j", "{n} h"],
    minutes: ["{n} mnt", "{n} min"],
    kinds: {
      faskes_change: ["Pindah FKTP", "FKTP change"],
      class_change: ["Pindah kelas", "Class change"],
      address_change: ["Ubah alamat", "Address change"],
      identity_correction: ["Koreksi identitas", "Identity correction"],
      contact_change: ["Ubah kontak", "Contact change"],
      family_member: ["Tambah anggota keluarga", "Family member"],
    },
    // Complaint categories as membership names them to members (domain/complaints.py).
    categories: {
      service: ["pelayanan di faskes", "service at a health facility"],
      membership: ["kepesertaan", "membership"],
      billing: ["iuran dan tagihan", "contributions and bills"],
      referral: ["rujukan", "referrals"],
      app: ["aplikasi", "the app"],
      other: ["lainnya", "something else"],
    },
    segments: {
      PBPU: ["Pekerja Bukan Penerima Upah (PBPU)", "Non-wage workers (PBPU)"],
      BP: ["Bukan Pekerja (BP)", "Non-workers (BP)"],
      PPU_BU: ["Pekerja Penerima Upah (PPU BU)", "Private-sector wage workers (PPU BU)"],
      PPU_PN: [
        "Pekerja Penerima Upah Pegawai Negeri (PPU PN)",
        "Civil servants, TNI, POLRI (PPU PN)"],
      PBI_APBN: ["Penerima Bantuan Iuran APBN", "State-paid (PBI APBN)"],
      PBI_APBD: ["Penerima Bantuan Iuran APBD", "Region-paid (PBI APBD)"],
      employer: ["Pemberi kerja", "Employer"],
      government: ["Pemerintah", "Government"],
    },
  };
  const LANGS = ["id", "en"];
  const KEY = "ops.lang";

  function initial() {
    const saved = localStorage.getItem(KEY);
    if (LANGS.includes(saved)) return saved;
    return (navigator.language || "id").toLowerCase().startsWith("en") ? "en" : "id";
  }

  let lang = initial();

  Ops.lang = () => lang;
  Ops.setLang = (next) => { lang = next; localStorage.setItem(KEY, next); };
  // A word, with {name} filled from vars; a nested table (kinds, segments) by a dotted key.
  Ops.t = (key, vars) => {
    const pair = key.split(".").reduce((o, k) => (o == null ? o : o[k]), WORDS);
    const text = Array.isArray(pair) ? pair[LANGS.indexOf(lang)] : key.split(".").pop();
    return String(text).replace(/\{(\w+)\}/g, (_, k) => (vars && k in vars ? vars[k] : ""));
  };
  Ops.number = (n) => new Intl.NumberFormat(lang === "id" ? "id-ID" : "en-GB").format(n);
  Ops.percent = (x) => (x == null ? "–" : new Intl.NumberFormat(
    lang === "id" ? "id-ID" : "en-GB", { style: "percent", maximumFractionDigits: 1 }).format(x));
  // Every element naming a word gets it; the document says which language it is in.
  Ops.translatePage = () => {
    document.documentElement.lang = lang;
    document.title = Ops.t("title");
    for (const el of document.querySelectorAll("[data-i18n]")) {
      el.textContent = Ops.t(el.dataset.i18n);
    }
    // A table's head is its data-columns' words ("-": a column without a heading).
    for (const table of document.querySelectorAll("table[data-columns]")) {
      const row = document.createElement("tr");
      for (const key of table.dataset.columns.split(" ")) {
        row.appendChild(document.createElement("th")).textContent = key === "-" ? "" : Ops.t(key);
      }
      (table.tHead || table.createTHead()).replaceChildren(row);
    }
  };
})(window.Ops);
