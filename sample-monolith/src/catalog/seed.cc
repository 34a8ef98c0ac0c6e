// Deterministic sample catalog: categories, authors and books with valid
// ISBN-13s, plausible prices and weights.
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/clock.h"

namespace bookstore::catalog {
namespace {

const std::vector<std::string> kCategories = {
    "Fiction", "Science Fiction", "Fantasy", "Mystery", "Thriller", "Romance", "History",
    "Biography", "Science", "Mathematics", "Computing", "Philosophy", "Poetry", "Travel",
    "Cooking", "Art", "Music", "Children", "Young Adult", "Business", "Economics", "Health",
    "Religion", "Reference"};
const std::vector<std::string> kFirstNames = {
    "Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Margaret", "Ken", "Frances", "Dennis",
    "Niklaus", "Radia", "Tony", "Shafi", "Leslie", "Sophie", "John", "Mary", "Olga", "Ivan",
    "Chinua", "Haruki", "Isabel", "Jorge", "Toni", "Kazuo", "Elena", "Orhan", "Wisława", "Naguib"};
const std::vector<std::string> kLastNames = {
    "Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Thompson",
    "Allen", "Ritchie", "Wirth", "Perlman", "Hoare", "Goldwasser", "Lamport", "Wilson",
    "Backus", "Shelley", "Tokarczuk", "Turgenev", "Achebe", "Murakami", "Allende", "Borges",
    "Morrison", "Ishiguro", "Ferrante", "Pamuk", "Szymborska", "Mahfouz"};
const std::vector<std::string> kAdjectives = {
    "Silent", "Hidden", "Last", "Distant", "Broken", "Golden", "Forgotten", "Endless", "Quiet",
    "Crimson", "Little", "Invisible", "Northern", "Secret", "Wandering", "Practical", "Modern",
    "Complete", "Unfinished", "Burning"};
const std::vector<std::string> kNouns = {
    "River", "Garden", "Algorithm", "Empire", "Library", "Compiler", "Harbour", "Mountain",
    "Machine", "Kingdom", "Letter", "Archive", "Theorem", "Voyage", "Orchard", "Signal",
    "Lighthouse", "City", "Engine", "Winter"};
const std::vector<std::string> kPatterns = {"The %a %n", "%n of the %a %n", "A %a %n", "The %n",
                                            "%a %ns", "Notes on the %n", "The %n and the %n"};

std::string bookTitle(Random& random) {
  std::string pattern = random.pick(kPatterns);
  std::string title;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '%' && i + 1 < pattern.size()) {
      title += pattern[i + 1] == 'a' ? random.pick(kAdjectives) : random.pick(kNouns);
      ++i;
    } else {
      title += pattern[i];
    }
  }
  return title;
}

std::string isbn13(int64_t serial) {
  std::string digits = "978" + std::to_string(1000000000 + serial).substr(1);
  int sum = 0;
  for (size_t i = 0; i < 12; ++i) sum += (digits[i] - '0') * (i % 2 == 0 ? 1 : 3);
  return digits + std::to_string((10 - sum % 10) % 10);
}

}  // namespace

void seed(Db& db, Random& random, int books) {
  Transaction tx(db);
  for (const auto& name : kCategories) {
    db.exec("INSERT INTO categories (name, parent_id) VALUES (?, NULL)", {name});
  }
  // Two sub-categories give the tree some depth.
  db.exec("INSERT INTO categories (name, parent_id) VALUES ('Hard Science Fiction', 2)");
  db.exec("INSERT INTO categories (name, parent_id) VALUES ('Programming Languages', 11)");
  int64_t category_count = db.queryInt("SELECT COUNT(*) FROM categories");

  const int author_count = books / 5 + 1;
  const std::string created = "2023-01-01T00:00:00Z";
  for (int i = 0; i < author_count; ++i) {
    std::string name = random.pick(kFirstNames) + " " + random.pick(kLastNames);
    db.exec("INSERT INTO authors (name, bio, created_at) VALUES (?, ?, ?)",
            {name, name + " writes about " + random.pick(kNouns) + "s.", created});
  }
  for (int i = 0; i < books; ++i) {
    std::string title = bookTitle(random);
    int64_t price = random.between(4, 80) * 100 + (random.chance(60) ? 99 : 0);
    db.exec(
        "INSERT INTO books (isbn, title, description, category_id, price_cents, weight_grams, "
        "published_year, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {isbn13(i + 1), title, "A book about " + random.pick(kNouns) + "s and " + random.pick(kNouns) + "s.",
         random.between(1, category_count), price, random.between(150, 1800), random.between(1950, 2024),
         random.chance(98) ? 1 : 0, created, created});
    int64_t book_id = db.lastInsertId();
    int authors = random.chance(15) ? 2 : 1;
    for (int a = 0; a < authors; ++a) {
      db.exec("INSERT OR IGNORE INTO book_authors (book_id, author_id) VALUES (?, ?)",
              {book_id, random.between(1, author_count)});
    }
  }
  tx.commit();
}

}  // namespace bookstore::catalog
